"""Windows that stay on the screen (窗口不超出屏幕): old village laptops have 1366×768 screens.

A dialog that grows when something appears (problems beside the fields, a list of refusals) must not push its
buttons below the bottom of the screen, where a coordinator cannot reach them. :func:`available_geometry` is the
part of the screen a window may use (without the taskbar); :func:`keep_on_screen` shrinks a window to it and moves
the window so that all of it, title bar included, is inside; :func:`grow_to` grows a window up to a height but never
beyond the screen.
"""

from __future__ import annotations

from pensiondesk.gui.qt import QGuiApplication, QRect, QWidget

__all__ = ["FRAME_MARGIN", "available_geometry", "grow_to", "keep_on_screen", "usable_height"]

#: Title bar and borders a window manager adds, assumed until the window is shown and its frame is known.
FRAME_MARGIN = 40


def available_geometry(widget: QWidget) -> QRect | None:
    """The screen area ``widget`` may use (its own screen's, else the primary screen's); ``None`` without a screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def _frame_extra(window: QWidget) -> tuple[int, int]:
    """Width and height the window's frame adds (a guess for the title bar until the window is shown)."""
    frame, inner = window.frameGeometry(), window.geometry()
    extra_w = max(0, frame.width() - inner.width())
    extra_h = max(0, frame.height() - inner.height())
    if not window.isVisible() and extra_h == 0:
        extra_h = FRAME_MARGIN
    return extra_w, extra_h


def usable_height(window: QWidget) -> int | None:
    """The tallest the window (without its frame) may be on its screen; ``None`` without a screen."""
    available = available_geometry(window)
    if available is None:
        return None
    return available.height() - _frame_extra(window)[1]


def keep_on_screen(window: QWidget) -> None:
    """Shrink ``window`` to the available screen area if it is larger, then move it so that all of it is inside."""
    available = available_geometry(window)
    if available is None:
        return
    extra_w, extra_h = _frame_extra(window)
    width = min(window.width(), available.width() - extra_w)
    height = min(window.height(), available.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    frame_w = max(frame.width(), window.width() + extra_w)
    frame_h = max(frame.height(), window.height() + extra_h)
    x = min(max(frame.x(), available.left()), available.left() + available.width() - frame_w)
    y = min(max(frame.y(), available.top()), available.top() + available.height() - frame_h)
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


def grow_to(window: QWidget, height: int) -> None:
    """Make ``window`` at least ``height`` tall (never shorter than it is), within the screen, and keep it there."""
    limit = usable_height(window)
    if limit is not None:
        height = min(height, limit)
    if height > window.height():
        window.resize(window.width(), height)
    keep_on_screen(window)
