#!/usr/bin/env python3
"""Export a diffusers Stable Diffusion 1.5 checkpoint + an OpenPose ControlNet to the ONNX pack
Pose Studio runs best (see README.md beside this file). Also run by `pose-studio pack export`.

Exit codes: 0 exported and parity passed; 1 parity failed (the pack is left under <out>.partial);
2 bad input (one line saying what); 3 Python packages missing (one line saying what to install);
4 anything else (a traceback; <out>.partial is left for inspection).
"""
import argparse
import importlib.util
import json
import os
import platform
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGES_HINT = (
    "install them with `pip install -r tools/pack-export/requirements.txt`, or on Debian 12: "
    "`apt-get install python3-torch python3-onnx` plus the diffusers source on PYTHONPATH (tools/pack-export/README.md)"
)


# the working folder this run created; removed again when the input turns out to be bad
WORKING = {"partial": None}


def fail(code, message):
    print(f"pack export: {message}", file=sys.stderr)
    if code in (2, 3) and WORKING["partial"] is not None:
        shutil.rmtree(WORKING["partial"], ignore_errors=True)
    sys.exit(code)


def import_packages():
    # Debian has no safetensors package: use the pure-Python reader shipped here only then.
    if importlib.util.find_spec("safetensors") is None:
        sys.path.insert(0, str(HERE / "compat"))
    missing = [m for m in ("torch", "onnx", "diffusers", "numpy") if importlib.util.find_spec(m) is None]
    if missing:
        fail(3, f"Python packages missing: {', '.join(missing)} — {PACKAGES_HINT}")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--checkpoint", required=True, help="diffusers SD1.5 folder (unet/, vae/, text_encoder/, tokenizer/, scheduler/)")
    p.add_argument("--controlnet", required=True, help="diffusers ControlNetModel folder (config.json + weights)")
    p.add_argument("-o", "--output", required=True, help="new pack folder (must not exist)")
    p.add_argument("--opset", type=int, default=17)
    p.add_argument("--tolerance", type=float, default=None, help="parity: max |onnx − torch| ≤ tolerance × max(1, max |torch|)")
    p.add_argument("--parity-latent", type=int, default=8, help="latent size of the parity inputs (8 = 64×64 pixels)")
    return p.parse_args(argv)


def check_inputs(args):
    ckpt, cn, out = Path(args.checkpoint), Path(args.controlnet), Path(args.output)
    for sub in ("unet", "vae", "text_encoder", "tokenizer", "scheduler"):
        if not (ckpt / sub).is_dir():
            fail(2, f"{ckpt} is not a diffusers Stable Diffusion folder: {sub}/ is missing")
    if not (ckpt / "scheduler" / "scheduler_config.json").is_file():
        fail(2, f"{ckpt}/scheduler/scheduler_config.json is missing")
    if not (cn / "config.json").is_file():
        fail(2, f"{cn} is not a diffusers ControlNet folder: config.json is missing")
    try:
        cn_class = json.loads((cn / "config.json").read_text()).get("_class_name")
    except (ValueError, UnicodeDecodeError) as e:
        fail(2, f"{cn}/config.json is not valid JSON ({e})")
    if cn_class != "ControlNetModel":
        fail(2, f"{cn}/config.json describes {cn_class!r}, not a ControlNetModel")
    if not 1 <= args.parity_latent <= 128:
        fail(2, f"--parity-latent {args.parity_latent} must be 1…128")
    if args.opset < 14:
        fail(2, f"--opset {args.opset}: the app needs opset 14 or later (17 recommended)")
    if os.path.lexists(out):
        fail(2, f"{out} already exists: choose a new folder (nothing is overwritten)")
    return ckpt, cn, out


def load(what, loader, *args, **kwargs):
    """A model from the user's folders; unreadable or mismatched weights are bad input, one line."""
    try:
        return loader(*args, **kwargs)
    except (OSError, ValueError, KeyError, RuntimeError, EnvironmentError) as e:
        fail(2, f"cannot load the {what}: {str(e).splitlines()[0] if str(e) else type(e).__name__}")


def main(argv):
    args = parse_args(argv)
    ckpt, cn_dir, out = check_inputs(args)
    import_packages()
    import torch
    import onnx
    import diffusers
    from diffusers import AutoencoderKL, ControlNetModel, UNet2DConditionModel
    import onnx_export as ox
    import parity

    tolerance = args.tolerance if args.tolerance is not None else parity.DEFAULT_TOLERANCE
    if importlib.util.find_spec("transformers") is not None:
        from transformers import CLIPTextModel
        load_text = lambda d: CLIPTextModel.from_pretrained(d, torch_dtype=torch.float32).eval()  # noqa: E731
        text_impl = "transformers " + __import__("transformers").__version__
    else:
        import clip_text
        load_text = clip_text.load_text_encoder
        text_impl = "tools/pack-export/clip_text.py (transformers not installed)"

    partial = out.with_name(out.name + ".partial")
    if os.path.lexists(partial):
        fail(2, f"{partial} exists (a previous export stopped midway?): remove it or choose another output")
    partial.mkdir(parents=True)
    WORKING["partial"] = partial
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1234)
    L = args.parity_latent
    cases, components = [], {}

    def done(name, path):
        components[name] = {
            "bytes": ox.folder_bytes(path.parent), "opset": ox.opset_of(path),
            "external_data": sorted(f.name for f in path.parent.iterdir() if f.name != "model.onnx"),
            "random_normal_like": ox.count_ops(path, "RandomNormalLike"),
        }
        print(f"exported {name}: {components[name]['bytes'] / 1e6:.1f} MB", flush=True)

    with torch.no_grad():
        # TEXT ENCODER
        text = load("text encoder", load_text, ckpt / "text_encoder")
        seq = text.config.max_position_embeddings if hasattr(text.config, "max_position_embeddings") else text.config["max_position_embeddings"]
        ids = torch.full((2, seq), 49407, dtype=torch.int32)
        ids[:, 0] = 49406
        ids[:, 1:7] = torch.randint(0, 49405, (2, 6), generator=gen, dtype=torch.int32)
        ref = text(ids)
        parity.write_case(partial, "text_encoder", {"input_ids": ids}, {"last_hidden_state": ref[0], "pooler_output": ref[1]}, cases)
        text_dim = ref[0].shape[-1]
        path = ox.export_model(text, (ids,), partial / "text_encoder" / "model.onnx", ["input_ids"],
                               ["last_hidden_state", "pooler_output"], {"input_ids": {0: "batch", 1: "sequence"}}, args.opset)
        done("text_encoder", path)
        del text

        sample = torch.randn(2, 4, L, L, generator=gen)
        timestep = torch.tensor([981.0, 1.0])
        ehs = torch.randn(2, seq, text_dim, generator=gen)

        # CONTROLNET
        controlnet = load("ControlNet", ControlNetModel.from_pretrained, cn_dir, torch_dtype=torch.float32).eval()
        if controlnet.config.cross_attention_dim != text_dim:
            fail(2, f"the ControlNet expects {controlnet.config.cross_attention_dim}-wide text embeddings but the checkpoint's text encoder makes {text_dim}: not an SD1.5 pair")
        cond = torch.rand(2, 3, 8 * L, 8 * L, generator=gen)
        scale = torch.tensor(0.7)
        down, mid = controlnet(sample, timestep, ehs, cond, conditioning_scale=0.7, return_dict=False)
        residuals = list(down) + [mid]
        if len(residuals) != 13:
            fail(2, f"the ControlNet makes {len(residuals)} residuals, not SD1.5's 13")
        parity.write_case(partial, "controlnet",
                          {"sample": sample, "timestep": timestep, "encoder_hidden_states": ehs, "controlnet_cond": cond, "conditioning_scale": scale},
                          dict(zip(ox.RESIDUALS, residuals)), cases)
        shapes = [r.shape for r in residuals]
        path = ox.export_model(ox.controlnet_with_scale_input(controlnet), (sample, timestep, ehs, cond, scale),
                               partial / "controlnet" / "model.onnx",
                               ["sample", "timestep", "encoder_hidden_states", "controlnet_cond", "conditioning_scale"],
                               ox.RESIDUALS, ox.CONTROLNET_AXES, args.opset)
        done("controlnet", path)
        del controlnet, down, mid, residuals

        # UNET (ControlNet-aware: 13 named residual inputs; all zero = the plain UNet)
        unet = load("UNet", UNet2DConditionModel.from_pretrained, ckpt, subfolder="unet", torch_dtype=torch.float32).eval()
        res = [0.5 * torch.randn(s, generator=gen) for s in shapes]
        ref = unet(sample, timestep, ehs, down_block_additional_residuals=tuple(res[:12]),
                   mid_block_additional_residual=res[12], return_dict=False)[0]
        parity.write_case(partial, "unet",
                          {"sample": sample, "timestep": timestep, "encoder_hidden_states": ehs, **dict(zip(ox.RESIDUALS, res))},
                          {"out_sample": ref}, cases)
        path = ox.export_model(ox.unet_with_residual_inputs(unet), (sample, timestep, ehs, *res),
                               partial / "unet" / "model.onnx",
                               ["sample", "timestep", "encoder_hidden_states", *ox.RESIDUALS], ["out_sample"],
                               ox.UNET_AXES, args.opset, external=True)
        done("unet", path)
        del unet, res

        # VAE encoder (distribution mean) and decoder
        vae = load("VAE", AutoencoderKL.from_pretrained, ckpt, subfolder="vae", torch_dtype=torch.float32).eval()
        image = torch.rand(1, 3, 8 * L, 8 * L, generator=gen) * 2 - 1
        parity.write_case(partial, "vae_encoder", {"sample": image}, {"latent_sample": vae.encode(image).latent_dist.mean}, cases)
        path = ox.export_model(ox.VaeEncoderMean(vae), (image,), partial / "vae_encoder" / "model.onnx", ["sample"],
                               ["latent_sample"], {"sample": ox.image_axes()}, args.opset)
        done("vae_encoder", path)
        latent = torch.randn(1, 4, L, L, generator=gen)
        parity.write_case(partial, "vae_decoder", {"latent_sample": latent}, {"sample": vae.decode(latent).sample}, cases)
        path = ox.export_model(ox.VaeDecoder(vae), (latent,), partial / "vae_decoder" / "model.onnx", ["latent_sample"],
                               ["sample"], {"latent_sample": ox.image_axes()}, args.opset)
        done("vae_decoder", path)
        del vae

    # tokenizer, scheduler, model_index.json
    # contents only, not permissions: a read-only source must not make the user's pack read-only
    shutil.copytree(ckpt / "tokenizer", partial / "tokenizer", copy_function=shutil.copyfile)
    os.chmod(partial / "tokenizer", 0o755)
    (partial / "scheduler").mkdir()
    shutil.copyfile(ckpt / "scheduler" / "scheduler_config.json", partial / "scheduler" / "scheduler_config.json")
    scheduler_class = json.loads((partial / "scheduler" / "scheduler_config.json").read_text()).get("_class_name", "PNDMScheduler")
    ort_model = ["diffusers", "OnnxRuntimeModel"]
    # what OnnxStableDiffusionPipeline.save_pretrained writes without a safety checker; controlnet/
    # is found by its folder name (as Amuse/OnnxStack do): diffusers' ONNX pipeline has no such slot
    model_index = {
        "_class_name": "OnnxStableDiffusionPipeline", "_diffusers_version": diffusers.__version__,
        "feature_extractor": [None, None], "requires_safety_checker": False, "safety_checker": [None, None],
        "scheduler": ["diffusers", scheduler_class], "text_encoder": ort_model, "tokenizer": ["transformers", "CLIPTokenizer"],
        "unet": ort_model, "vae_decoder": ort_model, "vae_encoder": ort_model,
    }
    (partial / "model_index.json").write_text(json.dumps(model_index, indent=2, sort_keys=True) + "\n")
    (partial / "parity" / "parity.json").write_text(json.dumps({"tolerance": tolerance, "cases": cases}, indent=1) + "\n")

    rows = parity.check_with_onnxruntime(partial, tolerance)
    failed = False
    if rows is None:
        print("parity: onnxruntime (Python) is not installed; `pose-studio pack export` checks with the app's runtime")
    else:
        for component, name, diff, allowed in rows:
            ok = diff <= allowed
            failed |= not ok
            print(f"parity {component:12s} {name:34s} max|onnx-torch| {diff:.3e}  allowed {allowed:.1e}  {'ok' if ok else 'FAILED'}")
    info = {
        "tool": "pose-studio tools/pack-export/export_pack.py", "opset": args.opset,
        "checkpoint": ckpt.resolve().name, "controlnet": cn_dir.resolve().name,
        "versions": {"python": platform.python_version(), "torch": torch.__version__, "diffusers": diffusers.__version__,
                     "onnx": onnx.__version__, "text_encoder": text_impl},
        "components": components,
        "parity": {"tolerance": tolerance, "runtime": None if rows is None else "onnxruntime (Python)",
                   "results": [] if rows is None else [{"component": c, "output": n, "max_abs_diff": d, "allowed": a} for c, n, d, a in rows]},
    }
    (partial / "pack_export.json").write_text(json.dumps(info, indent=2) + "\n")
    if failed:
        fail(1, f"parity check FAILED: the export differs from the PyTorch model; the pack is left in {partial}")
    os.rename(partial, out)
    print(f"exported into {out}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    try:
        main(sys.argv[1:])
    except SystemExit:
        raise
    except BaseException:  # noqa: B902 — exit 1 means "parity failed"; anything unforeseen is 4
        import traceback
        traceback.print_exc()
        sys.exit(4)
