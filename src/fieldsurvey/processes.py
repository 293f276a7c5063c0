"""Whether a process of this computer is still running: what tells a file a killed run
left behind (its name carries the writer's process id) from one a live run is writing."""

from __future__ import annotations

import os
import sys


def process_running(pid: int) -> bool:
    """Whether process ``pid`` runs; True when that cannot be told (another user's, say),
    so that a caller never removes what a live process is writing."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _running_windows(pid)
    if sys.platform.startswith("linux"):
        try:
            with open(f"/proc/{pid}/stat", "rb") as stat:
                state = stat.read().rsplit(b")", 1)[1].split()[0]
            return state not in (b"Z", b"X")  # a zombie has ended, only not been reaped
        except (OSError, IndexError):
            pass
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # exists but is another user's, or cannot be asked
        return True
    return True


def _running_windows(pid: int) -> bool:
    # os.kill(pid, 0) would terminate the process on Windows: ask kernel32 instead.
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    process_query_limited_information, still_active = 0x1000, 259
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists; else no such pid
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
