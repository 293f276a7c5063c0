"""The interview screen: pages of questions, a navigation panel, autosave, finalize."""
