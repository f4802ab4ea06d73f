"""Tests of the exporter's own pieces that need no checkpoint: `python3 -m unittest discover -s
tools/pack-export`. Skipped cleanly where torch or onnx is not installed (CI has neither; the
committed test/fixtures/packs/exported-tiny is what CI checks)."""
import importlib.util
import os
import sys
import tempfile
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
HAVE = all(importlib.util.find_spec(m) is not None for m in ("torch", "onnx", "numpy"))


@unittest.skipUnless(HAVE, "torch, onnx and numpy are not installed")
class CompatSafetensors(unittest.TestCase):
    def setUp(self):
        sys.path.insert(0, str(HERE / "compat"))
        import safetensors.torch as st  # the compat one when the real package is missing

        self.st = st
        self.dir = tempfile.mkdtemp()

    def test_round_trip_and_truncation(self):
        import torch

        tensors = {"a": torch.randn(3, 4), "b": torch.arange(5, dtype=torch.int64), "c": torch.randn(2).half()}
        path = os.path.join(self.dir, "x.safetensors")
        self.st.save_file(tensors, path, metadata={"format": "pt"})
        back = self.st.load_file(path)
        for k, v in tensors.items():
            self.assertTrue(torch.equal(back[k], v), k)
        size = os.path.getsize(path)
        with open(path, "r+b") as f:
            f.truncate(size - 4)
        with self.assertRaisesRegex(ValueError, "outside the file"):
            self.st.load_file(path)
        with open(path, "wb") as f:
            f.write((10**12).to_bytes(8, "little"))
        with self.assertRaisesRegex(ValueError, "implausible"):
            self.st.load_file(path)


@unittest.skipUnless(HAVE, "torch, onnx and numpy are not installed")
class Export(unittest.TestCase):
    def test_collated_weights_equal_the_inline_ones(self):
        import numpy as np
        import onnx
        import torch
        from onnx import numpy_helper

        sys.path.insert(0, str(HERE))
        import onnx_export as ox

        model = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3), torch.nn.GroupNorm(4, 8), torch.nn.Conv2d(8, 4, 1))
        folder = Path(tempfile.mkdtemp())
        inline = ox.export_model(model, (torch.randn(1, 3, 8, 8),), folder / "a" / "model.onnx", ["x"], ["y"], {}, 17, external=False)
        external = ox.export_model(model, (torch.randn(1, 3, 8, 8),), folder / "b" / "model.onnx", ["x"], ["y"], {}, 17, external=True)
        self.assertEqual(sorted(p.name for p in external.parent.iterdir()), ["model.onnx", "weights.pb"])
        self.assertEqual(ox.opset_of(external), 17)
        a = {t.name: numpy_helper.to_array(t) for t in onnx.load(inline.as_posix()).graph.initializer}
        b = {t.name: numpy_helper.to_array(t) for t in onnx.load(external.as_posix()).graph.initializer}
        self.assertEqual(a.keys(), b.keys())
        for k in a:
            np.testing.assert_array_equal(a[k], b[k])


if __name__ == "__main__":
    unittest.main()
