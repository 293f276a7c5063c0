"""Generated demonstration interviews (work in progress)."""
