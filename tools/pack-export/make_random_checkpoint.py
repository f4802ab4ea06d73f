#!/usr/bin/env python3
"""Random-weight diffusers SD1.5-structure checkpoint + OpenPose-shaped ControlNet, for testing the
exporter (`tiny`, committed as test/fixtures/packs/exported-tiny after export) and for memory
benchmarks (`sd15`: SD1.5's exact UNet/ControlNet/VAE widths, random weights, images are noise).

Writes <out>/checkpoint (unet/, vae/, text_encoder/, tokenizer/, scheduler/, model_index.json) and
<out>/controlnet (config.json + weights), as diffusers' save_pretrained does.
Configurations follow shared/tools/sd15-tiny/export.py (the project's fixture tools).
"""
import argparse
import importlib.util
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if importlib.util.find_spec("safetensors") is None:
    sys.path.insert(0, str(HERE / "compat"))
sys.path.insert(0, str(HERE))

import torch  # noqa: E402
from diffusers import AutoencoderKL, ControlNetModel, UNet2DConditionModel  # noqa: E402

import clip_text  # noqa: E402

SD15_BLOCKS = dict(
    down_block_types=("CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"),
    mid_block_type="UNetMidBlock2DCrossAttn",
    up_block_types=("UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"),
    layers_per_block=2, attention_head_dim=8, norm_num_groups=32, in_channels=4, out_channels=4,
)
SIZES = {
    "tiny": dict(unet=(32, 32, 32, 32), text=dict(hidden=16, layers=2, heads=4), vae=(32, 32, 32, 32), vae_layers=1,
                 cond=(16, 32, 32, 32), sample_size=8),
    # SD1.5 widths; the text encoder keeps SD1.5's width (768) with one layer to save time
    "sd15": dict(unet=(320, 640, 1280, 1280), text=dict(hidden=768, layers=1, heads=12, intermediate=3072),
                 vae=(128, 256, 512, 512), vae_layers=2, cond=(16, 32, 96, 256), sample_size=64),
}
# SD1.5's scheduler_config.json (runwayml/stable-diffusion-v1-5, scheduler/)
SCHEDULER = {
    "_class_name": "PNDMScheduler", "_diffusers_version": "0.21.4", "beta_end": 0.012, "beta_schedule": "scaled_linear",
    "beta_start": 0.00085, "clip_sample": False, "num_train_timesteps": 1000, "prediction_type": "epsilon",
    "set_alpha_to_one": False, "skip_prk_steps": True, "steps_offset": 1, "timestep_spacing": "leading", "trained_betas": None,
}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", choices=sorted(SIZES), default="tiny")
    p.add_argument("--tokenizer", required=True, help="a CLIP tokenizer folder (vocab.json, merges.txt, …) to copy")
    p.add_argument("-o", "--output", required=True)
    args = p.parse_args()
    s, out = SIZES[args.size], Path(args.output)
    ckpt, cn_dir = out / "checkpoint", out / "controlnet"
    ckpt.mkdir(parents=True, exist_ok=False)
    torch.manual_seed(0)
    text_cfg = clip_text.tiny_config(**s["text"])
    unet = UNet2DConditionModel(**SD15_BLOCKS, block_out_channels=s["unet"], cross_attention_dim=text_cfg["hidden_size"],
                                sample_size=s["sample_size"]).eval()
    unet.save_pretrained(ckpt / "unet", safe_serialization=True)
    controlnet = ControlNetModel.from_unet(unet, conditioning_embedding_out_channels=s["cond"]).eval()
    del unet
    with torch.no_grad():  # ControlNet zero-initialises its outputs by design: randomise so residuals are non-zero
        for mod in list(controlnet.controlnet_down_blocks) + [controlnet.controlnet_mid_block, controlnet.controlnet_cond_embedding.conv_out]:
            torch.nn.init.normal_(mod.weight, std=0.05)
            torch.nn.init.normal_(mod.bias, std=0.05)
    controlnet.save_pretrained(cn_dir, safe_serialization=True)
    del controlnet
    vae = AutoencoderKL(in_channels=3, out_channels=3, latent_channels=4, sample_size=8 * s["sample_size"],
                        down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
                        block_out_channels=s["vae"], layers_per_block=s["vae_layers"], norm_num_groups=32,
                        scaling_factor=0.18215).eval()
    vae.save_pretrained(ckpt / "vae", safe_serialization=True)
    clip_text.save_text_encoder(clip_text.CLIPTextModel(text_cfg), ckpt / "text_encoder")
    shutil.copytree(args.tokenizer, ckpt / "tokenizer")
    (ckpt / "scheduler").mkdir()
    (ckpt / "scheduler" / "scheduler_config.json").write_text(json.dumps(SCHEDULER, indent=2) + "\n")
    (ckpt / "model_index.json").write_text(json.dumps({
        "_class_name": "StableDiffusionPipeline", "_diffusers_version": "0.21.4", "feature_extractor": [None, None],
        "requires_safety_checker": False, "safety_checker": [None, None], "scheduler": ["diffusers", "PNDMScheduler"],
        "text_encoder": ["transformers", "CLIPTextModel"], "tokenizer": ["transformers", "CLIPTokenizer"],
        "unet": ["diffusers", "UNet2DConditionModel"], "vae": ["diffusers", "AutoencoderKL"],
    }, indent=2) + "\n")
    print(f"random {args.size} checkpoint in {ckpt}, ControlNet in {cn_dir}")


if __name__ == "__main__":
    main()
