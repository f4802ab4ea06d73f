"""CLIP text encoder used when `transformers` is not installed (the Debian route: no package).

Adapted from shared/tools/sd15-tiny/tiny_clip.py (the fixture tools of this project), which
re-implements the forward pass of transformers' CLIPTextModel (v4.33 modeling_clip.py) in plain
torch with the same module tree and parameter names, so a real checkpoint's text_encoder weights
load into it unchanged. Extended here to read the checkpoint's config.json (width, depth, heads,
activation, pooling rule) and its weights (model.safetensors or pytorch_model.bin).

With `pip install -r requirements.txt`, export_pack.py uses transformers' own CLIPTextModel instead.
"""
import json
import os

import torch
from torch import nn


class CLIPTextEmbeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.token_embedding = nn.Embedding(cfg["vocab_size"], cfg["hidden_size"])
        self.position_embedding = nn.Embedding(cfg["max_position_embeddings"], cfg["hidden_size"])
        self.register_buffer(
            "position_ids", torch.arange(cfg["max_position_embeddings"]).expand((1, -1)), persistent=False
        )

    def forward(self, input_ids):
        position_ids = self.position_ids[:, : input_ids.shape[-1]]
        return self.token_embedding(input_ids) + self.position_embedding(position_ids)


class CLIPAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.embed_dim, self.num_heads = cfg["hidden_size"], cfg["num_attention_heads"]
        self.head_dim = self.embed_dim // self.num_heads
        self.scale = self.head_dim**-0.5
        self.k_proj = nn.Linear(self.embed_dim, self.embed_dim)
        self.v_proj = nn.Linear(self.embed_dim, self.embed_dim)
        self.q_proj = nn.Linear(self.embed_dim, self.embed_dim)
        self.out_proj = nn.Linear(self.embed_dim, self.embed_dim)

    def _shape(self, tensor, seq_len, bsz):
        return tensor.view(bsz, seq_len, self.num_heads, self.head_dim).transpose(1, 2).contiguous()

    def forward(self, hidden_states, causal_attention_mask):
        bsz, tgt_len, embed_dim = hidden_states.size()
        query_states = self.q_proj(hidden_states) * self.scale
        key_states = self._shape(self.k_proj(hidden_states), -1, bsz)
        value_states = self._shape(self.v_proj(hidden_states), -1, bsz)
        proj_shape = (bsz * self.num_heads, -1, self.head_dim)
        query_states = self._shape(query_states, tgt_len, bsz).view(*proj_shape)
        key_states = key_states.view(*proj_shape)
        value_states = value_states.view(*proj_shape)
        src_len = key_states.size(1)
        attn_weights = torch.bmm(query_states, key_states.transpose(1, 2))
        attn_weights = attn_weights.view(bsz, self.num_heads, tgt_len, src_len) + causal_attention_mask
        attn_weights = attn_weights.view(bsz * self.num_heads, tgt_len, src_len)
        attn_weights = nn.functional.softmax(attn_weights, dim=-1)
        attn_output = torch.bmm(attn_weights, value_states)
        attn_output = attn_output.view(bsz, self.num_heads, tgt_len, self.head_dim).transpose(1, 2)
        return self.out_proj(attn_output.reshape(bsz, tgt_len, embed_dim))


class CLIPMLP(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.act = cfg.get("hidden_act", "quick_gelu")
        if self.act not in ("quick_gelu", "gelu"):
            raise ValueError(f"text_encoder hidden_act {self.act!r} is not supported without transformers")
        self.fc1 = nn.Linear(cfg["hidden_size"], cfg["intermediate_size"])
        self.fc2 = nn.Linear(cfg["intermediate_size"], cfg["hidden_size"])

    def forward(self, x):
        x = self.fc1(x)
        x = x * torch.sigmoid(1.702 * x) if self.act == "quick_gelu" else nn.functional.gelu(x)
        return self.fc2(x)


class CLIPEncoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        eps = cfg.get("layer_norm_eps", 1e-5)
        self.self_attn = CLIPAttention(cfg)
        self.layer_norm1 = nn.LayerNorm(cfg["hidden_size"], eps=eps)
        self.mlp = CLIPMLP(cfg)
        self.layer_norm2 = nn.LayerNorm(cfg["hidden_size"], eps=eps)

    def forward(self, hidden_states, causal_attention_mask):
        hidden_states = hidden_states + self.self_attn(self.layer_norm1(hidden_states), causal_attention_mask)
        return hidden_states + self.mlp(self.layer_norm2(hidden_states))


class CLIPEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layers = nn.ModuleList([CLIPEncoderLayer(cfg) for _ in range(cfg["num_hidden_layers"])])

    def forward(self, hidden_states, causal_attention_mask):
        for layer in self.layers:
            hidden_states = layer(hidden_states, causal_attention_mask)
        return hidden_states


def _make_causal_mask(input_ids_shape, dtype):
    bsz, tgt_len = input_ids_shape
    mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min)
    mask_cond = torch.arange(mask.size(-1))
    mask.masked_fill_(mask_cond < (mask_cond + 1).view(mask.size(-1), 1), 0)
    return mask[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len)


class CLIPTextTransformer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.eos_token_id = cfg.get("eos_token_id", 2)
        self.embeddings = CLIPTextEmbeddings(cfg)
        self.encoder = CLIPEncoder(cfg)
        self.final_layer_norm = nn.LayerNorm(cfg["hidden_size"], eps=cfg.get("layer_norm_eps", 1e-5))

    def forward(self, input_ids):
        input_shape = input_ids.size()
        input_ids = input_ids.view(-1, input_shape[-1])
        hidden_states = self.embeddings(input_ids)
        causal_attention_mask = _make_causal_mask(input_shape, hidden_states.dtype)
        last_hidden_state = self.final_layer_norm(self.encoder(hidden_states, causal_attention_mask))
        rows = torch.arange(last_hidden_state.shape[0])
        if self.eos_token_id == 2:  # legacy configs (SD 1.x): the EOS token has the largest id
            pooled = last_hidden_state[rows, input_ids.to(dtype=torch.int).argmax(dim=-1)]
        else:  # newer configs: the first EOS token
            first_eos = (input_ids.to(dtype=torch.int) == self.eos_token_id).int().argmax(dim=-1)
            pooled = last_hidden_state[rows, first_eos]
        return last_hidden_state, pooled


class CLIPTextModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.text_model = CLIPTextTransformer(cfg)

    def forward(self, input_ids):
        return self.text_model(input_ids)


def tiny_config(hidden=32, layers=2, heads=4, intermediate=None):
    """A CLIPTextConfig-shaped dict (what transformers' save_pretrained writes, trimmed)."""
    return {
        "architectures": ["CLIPTextModel"], "model_type": "clip_text_model",
        "vocab_size": 49408, "hidden_size": hidden, "intermediate_size": intermediate or 4 * hidden,
        "num_hidden_layers": layers, "num_attention_heads": heads, "max_position_embeddings": 77,
        "hidden_act": "quick_gelu", "layer_norm_eps": 1e-5, "bos_token_id": 0, "eos_token_id": 2,
        "pad_token_id": 1, "projection_dim": hidden, "torch_dtype": "float32",
    }


def load_text_encoder(folder):
    """CLIPTextModel from a transformers folder (config.json + model.safetensors | pytorch_model.bin)."""
    with open(os.path.join(folder, "config.json")) as f:
        cfg = json.load(f)
    model = CLIPTextModel(cfg).eval()
    st, pt = os.path.join(folder, "model.safetensors"), os.path.join(folder, "pytorch_model.bin")
    if os.path.exists(st):
        from safetensors.torch import load_file
        state = load_file(st)
    elif os.path.exists(pt):
        state = torch.load(pt, map_location="cpu")
    else:
        raise FileNotFoundError(f"{folder} has neither model.safetensors nor pytorch_model.bin")
    state.pop("text_model.embeddings.position_ids", None)  # a buffer some versions saved
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise ValueError(f"text_encoder weights do not match CLIPTextModel: missing {missing[:5]}, unexpected {unexpected[:5]}")
    return model.float()


def save_text_encoder(model, folder):
    from safetensors.torch import save_file
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(model.config, f, indent=2)
    save_file({k: v for k, v in model.state_dict().items()}, os.path.join(folder, "model.safetensors"))
