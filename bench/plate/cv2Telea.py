"""Cross-check for `npm run bench:plate` (optional; the product never runs Python).

Reads <dir>/<case>.rgb (raw RGB uint8), <dir>/<case>.hole (uint8, 1 = fill) and <dir>/<case>.size
("width height"), runs OpenCV's own cv2.inpaint(INPAINT_TELEA) with the radius given on the command
line, and writes <dir>/<case>.cv2 (raw RGB uint8). Needs Debian's python3-opencv.
"""
import sys
from pathlib import Path

import cv2
import numpy as np

folder = Path(sys.argv[1])
radius = float(sys.argv[2])
for size_file in sorted(folder.glob("*.size")):
    case = size_file.stem
    w, h = (int(v) for v in size_file.read_text().split())
    rgb = np.fromfile(folder / f"{case}.rgb", dtype=np.uint8).reshape(h, w, 3)
    hole = np.fromfile(folder / f"{case}.hole", dtype=np.uint8).reshape(h, w)
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    out = cv2.inpaint(bgr, (hole > 0).astype(np.uint8) * 255, radius, cv2.INPAINT_TELEA)
    cv2.cvtColor(out, cv2.COLOR_BGR2RGB).tofile(folder / f"{case}.cv2")
    print(case, cv2.__version__)
