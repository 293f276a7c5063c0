"""The layout of a long interview page: blocks of rows stacked from the top, each exactly
as tall as its content, never squeezed.

Qt's QVBoxLayout shares the page's height out among its items. When a row appears, Qt
lays the page out at once in its *old* height (QWidget::setVisible activates the layouts
of every ancestor), so every block was squeezed, every row resized, and then everything
grew back when the scroll area gave the page its new height: hundreds of resizes for one
keystroke. Here a block keeps the height its rows need whatever the page's height is at
that moment; a block whose rows changed is resized, the blocks below it only move, and the
ones above are not touched.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class BlockStackLayout(QLayout):
    """A vertical stack of items at their height-for-width, top to bottom."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._hfw: tuple[int, int] | None = None  # (width, height) last computed

    # ---- the items --------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt override
        self._items.append(item)
        self.invalidate()

    def insertWidget(self, index: int, widget: QWidget) -> None:  # noqa: N802 - Qt naming
        """Put ``widget`` at ``index`` (as QBoxLayout.insertWidget)."""
        self.addWidget(widget)  # appends through addItem
        self._items.insert(index, self._items.pop())

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt override
        if not 0 <= index < len(self._items):
            return None
        item = self._items.pop(index)
        self.invalidate()
        return item

    def invalidate(self) -> None:
        self._hfw = None
        super().invalidate()

    # ---- sizes ------------------------------------------------------------------------
    def _heights(self, width: int):
        """(item, height) of every shown item for a content ``width``."""
        for item in self._items:
            if item.isEmpty():  # a hidden widget
                continue
            if item.hasHeightForWidth():
                yield item, item.heightForWidth(width)
            else:
                yield item, item.sizeHint().height()

    def _inner_width(self, width: int) -> int:
        margins: QMargins = self.contentsMargins()
        return max(width - margins.left() - margins.right(), 0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        if self._hfw is not None and self._hfw[0] == width:
            return self._hfw[1]
        margins = self.contentsMargins()
        heights = [h for _item, h in self._heights(self._inner_width(width))]
        total = sum(heights) + self.spacing() * max(len(heights) - 1, 0)
        height = total + margins.top() + margins.bottom()
        self._hfw = (width, height)
        return height

    def _width(self, size_of) -> int:
        """The widest shown item by ``size_of(item)``, with the margins."""
        widths = [size_of(item).width() for item in self._items if not item.isEmpty()]
        margins = self.contentsMargins()
        return max(widths, default=0) + margins.left() + margins.right()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        width = self._width(QLayoutItem.sizeHint)
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._width(QLayoutItem.minimumSize), 0)

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt override
        return Qt.Orientation(0)

    # ---- placing ----------------------------------------------------------------------
    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt override
        super().setGeometry(rect)
        margins = self.contentsMargins()
        x = rect.x() + margins.left()
        y = rect.y() + margins.top()
        width = self._inner_width(rect.width())
        spacing = self.spacing()
        for item, height in self._heights(width):
            target = QRect(x, y, width, height)
            if item.geometry() != target:
                item.setGeometry(target)
            y += height + spacing
