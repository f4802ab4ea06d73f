"""Pure-Python reader/writer for the safetensors file format, used ONLY when the real `safetensors`
package is not installed (Debian 12 has no package for it). Importing this instead of the real one
is decided in export_pack.py; with `pip install -r requirements.txt` the real package is used.

Format (https://github.com/huggingface/safetensors, Apache-2.0): 8-byte little-endian header
length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}},
then the raw little-endian tensor bytes. Written from the format description, not copied code.
"""
from . import torch  # noqa: F401  (diffusers imports safetensors.torch)
from .torch import safe_open  # noqa: F401

__version__ = "0.0-pack-export-compat"
