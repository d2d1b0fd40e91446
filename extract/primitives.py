"""PDF page -> its geometric primitives (characters, ruling edges, image count), in pdfplumber's
own form and coordinates, read with PDFium.

pdfplumber gets its characters from pdfminer, which interprets every content stream in Python:
about 0,14 s a page, most of an ingest's extraction. PDFium (pypdfium2, which pdfplumber itself
depends on) reads the same glyphs in C, ten times faster. This module turns what PDFium gives into
exactly the dicts pdfplumber's `page.chars` and `page.edges` hold (same keys, same frame: points,
origin top left, /Rotate and the MediaBox offset applied, boxes computed with pdfminer's formula
from each glyph's origin, matrix, font size and the font's descent), so everything downstream,
pdfplumber's word extraction included, is unchanged. A page PDFium cannot read is read by
pdfplumber instead (`plumber_primitives`).
"""
from __future__ import annotations

import ctypes
import hashlib
import math
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

import pypdfium2.raw as pdfium_c

Point = tuple[float, float]


@dataclass
class PagePrimitives:
    """What extraction needs of one page: characters and edges as pdfplumber gives them."""

    width: float
    height: float
    bbox: tuple[float, float, float, float]
    chars: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    image_count: int = 0


def plumber_primitives(page) -> PagePrimitives:
    """The fallback: a pdfplumber page's own characters and edges (pdfminer's interpretation)."""
    return PagePrimitives(float(page.width), float(page.height), tuple(float(v) for v in page.bbox),
                          list(page.chars), list(page.edges), len(page.images))


# ---------------------------------------------------------------- the page frame
@dataclass(frozen=True)
class PageFrame:
    """pdfplumber's frame for one page: pdfminer's CTM for the page's /Rotate and MediaBox, then
    pdfplumber's flip to a top-left origin (see pdfminer's PDFPageInterpreter.process_page and
    pdfplumber's Page.process_object)."""

    ctm: tuple[float, float, float, float, float, float]
    height: float
    x_offset: float  # pdfplumber's mediabox x0
    top_offset: float  # pdfplumber's mediabox top

    @classmethod
    def of(cls, plumber_page) -> "PageFrame":
        x0, y0, x1, y1 = (float(v) for v in plumber_page.page_obj.mediabox)
        rotate = int(plumber_page.page_obj.rotate or 0) % 360
        ctm = {90: (0, -1, 1, 0, -y0, x1), 180: (-1, 0, 0, -1, x1, y1),
               270: (0, 1, -1, 0, y1, -x0)}.get(rotate, (1, 0, 0, 1, -x0, -y0))
        mb_x0, mb_top = (float(v) for v in plumber_page.mediabox[:2])
        return cls(tuple(float(v) for v in ctm), float(plumber_page.height), mb_x0, mb_top)

    def point(self, x: float, y: float) -> Point:
        """A point of PDF user space in pdfminer's page space (y up)."""
        a, b, c, d, e, f = self.ctm
        return a * x + c * y + e, b * x + d * y + f

    def vector(self, x: float, y: float) -> Point:
        a, b, c, d, _, _ = self.ctm
        return a * x + c * y, b * x + d * y

    def box(self, p: Point, q: Point) -> dict[str, float]:
        """pdfminer's box between two corners -> pdfplumber's x0, x1, top, bottom."""
        x0, x1 = sorted((p[0], q[0]))
        y0, y1 = sorted((p[1], q[1]))
        top = self.height - y1 + self.top_offset
        return {"x0": x0 + self.x_offset, "x1": x1 + self.x_offset, "top": top, "doctop": top,
                "bottom": self.height - y0 + self.top_offset}


# ---------------------------------------------------------------- fonts
@dataclass
class FontNames:
    """Font names as pdfplumber gives them, one page at a time (PDFium may free a font when the
    page that used it closes, and give its address to another font of a later page).

    PDFium names a font without its subset tag ('Carlito-Bold' for 'BAAAAA+Carlito-Bold'), yet
    the tag is what tells apart subsets of one font set in different styles. Each embedded font
    gets a tag made from its font program instead: the same for the same subset on every page,
    different for different subsets, as the printed tags are."""

    names: dict[int, tuple[str, float]] = field(default_factory=dict)  # handle -> (name, descent per pt)

    def of(self, font) -> tuple[str, float]:
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        if key not in self.names:
            self.names[key] = (_tagged_name(font), _descent(font))
        return self.names[key]


def _tagged_name(font) -> str:
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    buffer = ctypes.create_string_buffer(max(size, 1))
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
    name = buffer.value.decode("utf-8", "replace")
    length = ctypes.c_size_t()
    if not pdfium_c.FPDFFont_GetFontData(font, None, 0, ctypes.byref(length)) or length.value == 0:
        return name  # not embedded: no subset tag in the file either
    data = (ctypes.c_ubyte * length.value)()
    pdfium_c.FPDFFont_GetFontData(font, data, length.value, ctypes.byref(length))
    tag = hashlib.blake2b(bytes(data), digest_size=4).hexdigest().upper()
    return f"{tag}+{name}"


def _descent(font) -> float:
    """The font's descent for a 1-point size (negative below the baseline), as pdfminer uses it."""
    descent = ctypes.c_float()
    pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), ctypes.byref(descent))
    return descent.value / 1000.0


# ---------------------------------------------------------------- characters
def page_chars(text_page, frame: PageFrame, fonts: FontNames) -> list[dict[str, Any]]:
    """Every printed character of a page (PDFium's generated spaces and line ends left out).

    A character's box is pdfminer's LTChar box: from (0, descent) to (advance, descent + size) in
    text space, through the character's matrix; `size` is the box's height and `upright` is as
    pdfminer has it. Written out inline, with what is the same for a whole text object (font,
    size, matrix) looked up once per object: this loop runs for every glyph of every page."""
    f = pdfium_c
    count = f.FPDFText_CountChars(text_page)
    text = _page_text(text_page, count)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    loose = f.FS_RECTF()
    objects: dict[int, tuple] = {}
    ca, cb, cc, cd, ce, cf = frame.ctm
    height, x_offset, top_offset = frame.height, frame.x_offset, frame.top_offset
    chars = []
    for index in range(count):
        glyph = text[index]
        if glyph.isspace() and f.FPDFText_IsGenerated(text_page, index):
            continue
        if glyph in _MARKERS and f.FPDFText_IsHyphen(text_page, index):
            glyph = "-"  # PDFium's mark for a hyphen that ends a line: the printed hyphen
        key = _text_object_address(text_page, index)
        style = objects.get(key)
        if style is None:
            text_object = ctypes.cast(key, f.FPDF_PAGEOBJECT)
            style = objects[key] = _object_style(text_page, index, text_object, frame, fonts)
        name, low, high, a, b, c, d, along, upright = style
        f.FPDFText_GetCharOrigin(text_page, index, origin_x, origin_y)
        f.FPDFText_GetLooseCharBox(text_page, index, loose)
        ux, uy = origin_x.value, origin_y.value
        x, y = ca * ux + cc * uy + ce, cb * ux + cd * uy + cf
        advance = (loose.right - loose.left if along == "x" else loose.top - loose.bottom if along == "y"
                   else max(abs(loose.right - loose.left), abs(loose.top - loose.bottom)))
        advance = abs(advance)
        px, py = x + c * low, y + d * low
        qx, qy = x + a * advance + c * high, y + b * advance + d * high
        x0, x1 = (px, qx) if px <= qx else (qx, px)
        y0, y1 = (py, qy) if py <= qy else (qy, py)
        top = height - y1 + top_offset
        bottom = height - y0 + top_offset
        chars.append({
            "text": glyph, "fontname": name, "x0": x0 + x_offset, "x1": x1 + x_offset,
            "top": top, "doctop": top, "bottom": bottom, "size": bottom - top,
            "upright": upright, "matrix": (a, b, c, d, x, y),
        })
    return chars


_MARKERS = ("\ufffe", "\x02")


def _address_returning(function):
    """The same PDFium function, called through a prototype that returns its handle as a plain
    int: a dictionary key without ctypes' pointer conversion, which would cost as much as the
    call, per glyph."""
    prototype = ctypes.CFUNCTYPE(ctypes.c_void_p, *function.argtypes)
    return prototype(ctypes.cast(function, ctypes.c_void_p).value)


_text_object_address = _address_returning(pdfium_c.FPDFText_GetTextObject)


def _page_text(text_page, count: int) -> str:
    """All characters of a text page in one call, one per character index."""
    buffer = (ctypes.c_ushort * (count + 1))()
    pdfium_c.FPDFText_GetText(text_page, 0, count, buffer)
    text = bytes(buffer)[: 2 * count].decode("utf-16-le", "replace")
    return text if len(text) == count else "".join(
        chr(pdfium_c.FPDFText_GetUnicode(text_page, index)) for index in range(count))


def _object_style(text_page, index: int, text_object, frame: PageFrame, fonts: FontNames) -> tuple:
    """What every glyph of one text object shares: its font's name, the bottom and top of the
    glyph box across the baseline (descent and descent + size, in text space, scaled by the
    matrix's unit length along the baseline), the matrix in pdfminer's page space, the axis the
    text runs along (for the advance) and pdfminer's `upright`."""
    matrix = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFText_GetMatrix(text_page, index, matrix)
    name, descent = fonts.of(pdfium_c.FPDFTextObj_GetFont(text_object))
    size = pdfium_c.FPDFText_GetFontSize(text_page, index)
    a, b = frame.vector(matrix.a, matrix.b)
    c, d = frame.vector(matrix.c, matrix.d)
    unit = math.hypot(a, b) or 1.0
    along = "x" if abs(matrix.b) < 1e-9 and abs(matrix.c) < 1e-9 else \
        "y" if abs(matrix.a) < 1e-9 and abs(matrix.d) < 1e-9 else "?"
    return (name, descent * size, (descent + 1) * size, a / unit, b / unit, c, d, along,
            a * d > 0 and b * c <= 0)


# ---------------------------------------------------------------- paths and images
Affine = tuple[float, float, float, float, float, float]
IDENTITY: Affine = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _then(inner: Affine, outer: Affine) -> Affine:
    """`inner` applied first, then `outer` (PDF's row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _objects(count: Callable[[], int], get: Callable[[int], Any], outer: Affine) -> Iterator[tuple[Any, int, Affine]]:
    """Every page object, descending into form XObjects, with its matrix to user space."""
    matrix = pdfium_c.FS_MATRIX()
    for index in range(count()):
        obj = get(index)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f) \
            if pdfium_c.FPDFPageObj_GetMatrix(obj, matrix) else IDENTITY
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            yield from _objects(lambda o=obj: pdfium_c.FPDFFormObj_CountObjects(o),
                                lambda i, o=obj: pdfium_c.FPDFFormObj_GetObject(o, i), _then(own, outer))
        else:
            yield obj, kind, _then(own, outer)


def page_paths_and_images(page_handle) -> tuple[list[list[Point]], int]:
    """The subpaths of every painted path (each a list of points in user space, closed ones ending
    where they started) and the number of images."""
    subpaths: list[list[Point]] = []
    images = 0
    point_x, point_y = ctypes.c_float(), ctypes.c_float()
    for obj, kind, matrix in _objects(lambda: pdfium_c.FPDFPage_CountObjects(page_handle),
                                      lambda i: pdfium_c.FPDFPage_GetObject(page_handle, i), IDENTITY):
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
        if kind != pdfium_c.FPDF_PAGEOBJ_PATH:
            continue
        a, b, c, d, e, f = matrix
        current: list[Point] = []
        controls = 0  # a Bézier step is three segments: two control points, then where it ends
        for index in range(pdfium_c.FPDFPath_CountSegments(obj)):
            segment = pdfium_c.FPDFPath_GetPathSegment(obj, index)
            kind_of_segment = pdfium_c.FPDFPathSegment_GetType(segment)
            if kind_of_segment == pdfium_c.FPDF_SEGMENT_BEZIERTO and controls < 2:
                controls += 1
                continue
            controls = 0
            pdfium_c.FPDFPathSegment_GetPoint(segment, point_x, point_y)
            x, y = point_x.value, point_y.value
            point = (a * x + c * y + e, b * x + d * y + f)
            if kind_of_segment == pdfium_c.FPDF_SEGMENT_MOVETO and current:
                subpaths.append(current)
                current = []
            current.append(point)
            if pdfium_c.FPDFPathSegment_GetClose(segment) and current:
                current.append(current[0])
        if current:
            subpaths.append(current)
    return subpaths, images


def path_edges(subpaths: list[list[Point]], frame: PageFrame) -> list[dict[str, Any]]:
    """The horizontal and vertical pieces of every subpath, as pdfplumber's edges: a drawn line,
    each side of a rectangle, each straight step between a curve's points (its Bézier control
    points left out: a logo's outline gives no rulings)."""
    edges = []
    for points in subpaths:
        placed = [frame.point(*p) for p in points]
        for p, q in zip(placed, placed[1:]):
            orientation = "h" if abs(p[1] - q[1]) < 1e-6 else "v" if abs(p[0] - q[0]) < 1e-6 else None
            if orientation is None or p == q:
                continue
            edges.append({"orientation": orientation, "object_type": "edge", **frame.box(p, q)})
    return edges


# ---------------------------------------------------------------- a page
def pdfium_primitives(pdfium_page, plumber_page) -> PagePrimitives:
    """One page's primitives read by PDFium (a pypdfium2 page), in the frame of the same page
    as pdfplumber opened it (its MediaBox, /Rotate and size come from the page dictionary)."""
    frame = PageFrame.of(plumber_page)
    text_page = pdfium_page.get_textpage()
    try:
        chars = page_chars(text_page.raw, frame, FontNames())
    finally:
        text_page.close()
    subpaths, images = page_paths_and_images(pdfium_page.raw)
    return PagePrimitives(float(plumber_page.width), float(plumber_page.height),
                          tuple(float(v) for v in plumber_page.bbox), chars, path_edges(subpaths, frame), images)
