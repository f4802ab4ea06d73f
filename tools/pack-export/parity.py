"""Parity of every exported file against the PyTorch model it came from.

Reference inputs are seeded random tensors; reference outputs come from the models' public
diffusers/transformers API (not the export wrappers), so a wrong wrapper is caught too. Both are
written to <pack>/parity/ (raw little-endian tensors + parity.json) so that any runtime can repeat
the check: onnxruntime in Python here when it is installed, and the app's own onnxruntime-node in
`pose-studio pack export` (which is what the app will run).
"""
import json
from pathlib import Path

import numpy as np
import torch

# optimum validates its Stable Diffusion exports at atol 1e-3; outputs here are compared relative
# to their own size so wide random models (outputs of tens) are held to the same standard.
DEFAULT_TOLERANCE = 1e-3


def allowed_diff(reference: np.ndarray, tolerance: float) -> float:
    return tolerance * max(1.0, float(np.abs(reference).max()) if reference.size else 1.0)


def write_case(out: Path, component: str, inputs: dict, outputs: dict, cases: list):
    folder = out / "parity"
    folder.mkdir(parents=True, exist_ok=True)

    def save(kind, name, tensor):
        array = tensor.detach().cpu().numpy() if isinstance(tensor, torch.Tensor) else np.asarray(tensor)
        dtype = {np.dtype("float32"): "float32", np.dtype("int32"): "int32", np.dtype("int64"): "int64"}[array.dtype]
        file = f"{component}.{kind}.{name}.bin"
        array.astype(array.dtype.newbyteorder("<")).tofile(folder / file)
        return {"name": name, "dtype": dtype, "shape": list(array.shape), "file": file}

    cases.append({
        "component": component,
        "model": f"{component}/model.onnx",
        "inputs": [save("in", k, v) for k, v in inputs.items()],
        "outputs": [save("out", k, v) for k, v in outputs.items()],
    })


def read_tensor(folder: Path, entry: dict) -> np.ndarray:
    dtype = {"float32": "<f4", "int32": "<i4", "int64": "<i8"}[entry["dtype"]]
    return np.fromfile(folder / entry["file"], dtype=dtype).reshape(entry["shape"])


def check_with_onnxruntime(out: Path, tolerance: float):
    """Runs every case with onnxruntime (Python); returns rows, or None when it is not installed."""
    try:
        import onnxruntime as ort
    except ImportError:
        return None
    folder = out / "parity"
    spec = json.loads((folder / "parity.json").read_text())
    rows = []
    for case in spec["cases"]:
        session = ort.InferenceSession((out / case["model"]).as_posix(), providers=["CPUExecutionProvider"])
        feeds = {e["name"]: read_tensor(folder, e) for e in case["inputs"]}
        got = dict(zip([o.name for o in session.get_outputs()], session.run(None, feeds)))
        for e in case["outputs"]:
            ref = read_tensor(folder, e)
            diff = float(np.abs(got[e["name"]] - ref).max()) if ref.size else 0.0
            rows.append((case["component"], e["name"], diff, allowed_diff(ref, tolerance)))
    return rows
