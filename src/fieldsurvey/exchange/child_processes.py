"""Worker processes that end with the process that started them, however it ends.

A merge's workers hold the exports open (locked, on Windows) and use memory and cores;
left running after the merge is killed (``kill -9``, the task manager, a crash), they would
go on for nothing. Three ties, each enough where it works:

- :func:`exit_when_parent_gone`, in the worker: a thread reads the pipe from the parent,
  which gives end-of-file as soon as the parent closes it or dies (every system);
- :func:`die_with_parent`, in the worker: Linux's ``PR_SET_PDEATHSIG`` has the kernel kill
  the worker when its parent dies, even while the worker is busy in C code;
- :func:`kill_with_this_process`, in the parent: on Windows, the worker joins a job object
  that kills its processes when its last handle closes, which happens when the parent ends.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import sys
import threading
from multiprocessing.connection import Connection

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux), and exit at once
    if the parent ``parent`` is already gone (it died before the request was made)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    # An orphan is adopted by another process: its parent is no longer ``parent``.
    if os.name == "posix" and os.getppid() != parent:
        os._exit(1)


def exit_when_parent_gone(pipe: Connection) -> None:
    """Exit this process at once when ``pipe`` (read end, nothing more sent on it)
    reaches its end: the parent closed it or died. Whatever the process is doing."""

    def watch() -> None:
        try:
            while True:
                pipe.recv_bytes()
        except (EOFError, OSError):
            os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


# ------------------------------------------------------------------------------ Windows

_job: int | None = None
_job_lock = threading.Lock()


def kill_with_this_process(process) -> None:
    """Windows: put the started ``process`` (a multiprocessing Process) in a job object
    that kills it when this process ends. Elsewhere nothing: the other ties suffice."""
    if sys.platform != "win32":
        return
    global _job
    try:
        with _job_lock:
            if _job is None:
                _job = _kill_on_close_job()
        kernel32 = _kernel32()
        # A spawned Process's sentinel is its process handle on Windows.
        if not kernel32.AssignProcessToJobObject(_job, process.sentinel):
            raise ctypes.WinError(ctypes.get_last_error())
    except OSError as exc:  # Windows 7 without nested jobs...: the pipe still ends it
        log.warning("worker process not tied to this process's job (%s)", exc)


def _kernel32():
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.CreateJobObjectW.restype = wintypes.HANDLE
    kernel32.CreateJobObjectW.argtypes = (ctypes.c_void_p, wintypes.LPCWSTR)
    kernel32.SetInformationJobObject.restype = wintypes.BOOL
    kernel32.SetInformationJobObject.argtypes = (wintypes.HANDLE, ctypes.c_int,
                                                 ctypes.c_void_p, wintypes.DWORD)
    kernel32.AssignProcessToJobObject.restype = wintypes.BOOL
    kernel32.AssignProcessToJobObject.argtypes = (wintypes.HANDLE, wintypes.HANDLE)
    return kernel32


class _BasicLimits(ctypes.Structure):  # JOBOBJECT_BASIC_LIMIT_INFORMATION
    _fields_ = [
        ("PerProcessUserTimeLimit", ctypes.c_int64),
        ("PerJobUserTimeLimit", ctypes.c_int64),
        ("LimitFlags", ctypes.c_uint32),
        ("MinimumWorkingSetSize", ctypes.c_size_t),
        ("MaximumWorkingSetSize", ctypes.c_size_t),
        ("ActiveProcessLimit", ctypes.c_uint32),
        ("Affinity", ctypes.c_size_t),
        ("PriorityClass", ctypes.c_uint32),
        ("SchedulingClass", ctypes.c_uint32),
    ]


class _ExtendedLimits(ctypes.Structure):  # JOBOBJECT_EXTENDED_LIMIT_INFORMATION
    _fields_ = [
        ("BasicLimitInformation", _BasicLimits),
        ("IoInfo", ctypes.c_uint64 * 6),  # IO_COUNTERS: six ULONGLONGs
        ("ProcessMemoryLimit", ctypes.c_size_t),
        ("JobMemoryLimit", ctypes.c_size_t),
        ("PeakProcessMemoryUsed", ctypes.c_size_t),
        ("PeakJobMemoryUsed", ctypes.c_size_t),
    ]


JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000


def _kill_on_close_job() -> int:
    """A new job object whose processes are killed when its last handle is closed. Its
    handle is never closed here: the system closes it when this process ends."""
    kernel32 = _kernel32()
    job = kernel32.CreateJobObjectW(None, None)
    if not job:
        raise ctypes.WinError(ctypes.get_last_error())
    info = _ExtendedLimits()
    info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    if not kernel32.SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION,
                                            ctypes.byref(info), ctypes.sizeof(info)):
        raise ctypes.WinError(ctypes.get_last_error())
    return job
