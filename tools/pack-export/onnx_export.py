"""torch → ONNX for each pack component, the way this app runs them best.

Modelled on diffusers' scripts/convert_stable_diffusion_checkpoint_to_onnx.py (v0.21.4, Apache-2.0):
same torch.onnx.export call (constant folding, dynamic axes, `return_dict` dropped), same UNet
external-data collation into one `weights.pb`. What differs, and why:
- opset 17 (LayerNormalization is one op; onnxruntime ≥ 1.14 runs it on every provider);
- the UNet takes the ControlNet's 13 residuals as named inputs (the Amuse/OnnxStack names, as the
  published ControlNet-aware UNets do), so one UNet serves with and without a ControlNet;
- the ControlNet takes `conditioning_scale` as an input and names all 13 outputs;
- the VAE encoder returns the latent distribution's MEAN: `latent_dist.sample()` exports as
  RandomNormalLike and makes every reference latent (and the app's reference bank) random.
"""
import os
from pathlib import Path

import onnx
import torch

RESIDUALS = [f"down_block_{i}_additional_residual" for i in range(12)] + ["mid_block_additional_residual"]
# protobuf cannot hold a model over 2 GiB; beyond this size the weights go to an external file
EXTERNAL_DATA_BYTES = 1_800_000_000


def param_bytes(model):
    return sum(p.numel() * p.element_size() for p in model.parameters())


def export_model(model, args, path: Path, input_names, output_names, dynamic_axes, opset, external=None):
    """Exports `model(*args)` to `path`; weights in `weights.pb` beside it when `external` (or too big)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    external = external if external is not None else param_bytes(model) > EXTERNAL_DATA_BYTES
    kwargs = dict(
        f=path.as_posix(), input_names=input_names, output_names=output_names, dynamic_axes=dynamic_axes,
        do_constant_folding=True, opset_version=opset,
    )
    if "dynamo" in torch.onnx.export.__code__.co_varnames:
        kwargs["dynamo"] = False  # torch ≥ 2.9 defaults to the dynamo exporter; this is the TorchScript one
    with torch.inference_mode():
        torch.onnx.export(model, args, **kwargs)
    if external:
        collate_external_data(path)
    return path


def collate_external_data(path: Path, location="weights.pb", threshold=1024):
    """All weights of `path` into one `weights.pb` beside it, as diffusers' convert script does with
    onnx.save_model(all_tensors_to_one_file=True), but streamed tensor by tensor: loading a 3.4 GB
    UNet's weights whole next to the torch model doubles the export's peak memory."""
    folder = path.parent
    model = onnx.load(path.as_posix(), load_external_data=False)
    old_files = set()
    tmp = folder / (location + ".tmp")
    with open(tmp, "wb") as out:
        for t in model.graph.initializer:
            if t.data_location == onnx.TensorProto.EXTERNAL:
                info = {e.key: e.value for e in t.external_data}
                old_files.add(info["location"])
                with open(folder / info["location"], "rb") as f:
                    f.seek(int(info.get("offset", 0)))
                    data = f.read(int(info["length"])) if "length" in info else f.read()
            elif t.HasField("raw_data") and len(t.raw_data) >= threshold:
                data = t.raw_data
            else:
                continue
            out.write(b"\0" * (-out.tell() % 4096))  # page-aligned, like onnx's own writer
            offset = out.tell()
            out.write(data)
            t.ClearField("raw_data")
            del t.external_data[:]
            for key, value in (("location", location), ("offset", str(offset)), ("length", str(len(data)))):
                entry = t.external_data.add()
                entry.key, entry.value = key, value
            t.data_location = onnx.TensorProto.EXTERNAL
    for name in old_files:
        if name != location:
            os.remove(folder / name)
    os.replace(tmp, folder / location)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


def unet_with_residual_inputs(unet):
    """The same UNet object, called with 13 positional residuals after the usual three inputs.

    The instance's class is swapped for a subclass instead of wrapping it, so the exported node
    names stay `/down_blocks.0/attentions.0/...` (a wrapper would prefix `/unet/`), as in the
    Amuse/OnnxStack Olive scripts, which subclass for the same reason.
    """
    base = type(unet)

    class ControlNetAwareUNet(base):
        def forward(self, sample, timestep, encoder_hidden_states, *residuals):
            return base.forward(
                self, sample=sample, timestep=timestep, encoder_hidden_states=encoder_hidden_states,
                down_block_additional_residuals=tuple(residuals[:12]),
                mid_block_additional_residual=residuals[12], return_dict=False,
            )[0]

    unet.__class__ = ControlNetAwareUNet
    return unet


def controlnet_with_scale_input(controlnet):
    """ControlNet taking conditioning_scale as an input and returning its 13 residuals flat."""
    base = type(controlnet)

    class ScaledControlNet(base):
        def forward(self, sample, timestep, encoder_hidden_states, controlnet_cond, conditioning_scale):
            down, mid = base.forward(
                self, sample=sample, timestep=timestep, encoder_hidden_states=encoder_hidden_states,
                controlnet_cond=controlnet_cond, conditioning_scale=conditioning_scale, return_dict=False,
            )
            return tuple(down) + (mid,)

    controlnet.__class__ = ScaledControlNet
    return controlnet


class VaeEncoderMean(torch.nn.Module):
    """encode(sample).latent_dist.mean: deterministic, unscaled (the app multiplies by 0.18215)."""

    def __init__(self, vae):
        super().__init__()
        self.encoder, self.quant_conv = vae.encoder, vae.quant_conv

    def forward(self, sample):
        moments = self.quant_conv(self.encoder(sample))
        mean, _logvar = torch.chunk(moments, 2, dim=1)
        return mean


class VaeDecoder(torch.nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.vae = vae

    def forward(self, latent_sample):
        return self.vae.decode(latent_sample, return_dict=False)[0]


def image_axes(prefix=""):
    return {0: f"{prefix}batch", 1: f"{prefix}channels", 2: f"{prefix}height", 3: f"{prefix}width"}


UNET_AXES = {
    "sample": image_axes(), "timestep": {0: "batch"}, "encoder_hidden_states": {0: "batch", 1: "sequence"},
    **{n: {0: f"{n}_batch", 1: f"{n}_channels", 2: f"{n}_height", 3: f"{n}_width"} for n in RESIDUALS},
}
CONTROLNET_AXES = {
    "sample": image_axes(), "timestep": {0: "batch"}, "encoder_hidden_states": {0: "batch", 1: "sequence"},
    "controlnet_cond": image_axes("cond_"),
    **{n: {0: f"{n}_batch", 2: f"{n}_height", 3: f"{n}_width"} for n in RESIDUALS},
}


def count_ops(path: Path, op_type: str) -> int:
    m = onnx.load(path.as_posix(), load_external_data=False)
    return sum(1 for n in m.graph.node if n.op_type == op_type)


def opset_of(path: Path) -> int:
    m = onnx.load(path.as_posix(), load_external_data=False)
    return max(o.version for o in m.opset_import if o.domain in ("", "ai.onnx"))


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def remove_if_empty(folder: Path):
    if folder.exists() and not any(folder.iterdir()):
        os.rmdir(folder)
