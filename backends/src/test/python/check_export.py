#!/usr/bin/env python3
"""Independent check of `prefopt export` output against PEFT's LoRA semantics, without prefopt's code.

Reads the base checkpoint, the `--format peft` adapter and the `--format hf --merge` export (safetensors parsed here,
float32/bfloat16/float16), then for every adapted projection computes W + lora_alpha / r * B @ A in float64 the way
PEFT's merge_and_unload does (lora_A.weight: [r, in], lora_B.weight: [out, r], keys
base_model.model.<module>.lora_A.weight), and compares it with the merged tensor (for a bfloat16 or float16 export, with that value rounded by torch to the
export's dtype); every other tensor must be equal, bit for bit.

Usage (Debian: apt-get install -y python3-torch):
    /usr/bin/python3 backends/src/test/python/check_export.py BASE_DIR ADAPTER_DIR MERGED_DIR
"""
import json
import struct
import sys

import torch

DTYPES = {"F32": torch.float32, "BF16": torch.bfloat16, "F16": torch.float16}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[a:b]), dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        out[name] = t
    return out


def main(base_dir, adapter_dir, merged_dir):
    cfg = json.load(open(f"{adapter_dir}/adapter_config.json"))
    assert cfg["peft_type"] == "LORA" and cfg["task_type"] == "CAUSAL_LM", cfg
    scale = cfg["lora_alpha"] / cfg["r"]
    base = read_safetensors(f"{base_dir}/model.safetensors")
    adapter = read_safetensors(f"{adapter_dir}/adapter_model.safetensors")
    merged = read_safetensors(f"{merged_dir}/model.safetensors")
    assert set(base) == set(merged), set(base) ^ set(merged)
    prefix, modules = "base_model.model.", set()
    for key in adapter:
        assert key.startswith(prefix) and key.endswith((".lora_A.weight", ".lora_B.weight")), key
        modules.add(key[len(prefix):-len(".lora_A.weight")])
    assert all(m.rsplit(".", 1)[1] in cfg["target_modules"] for m in modules), modules
    worst = 0.0
    for name, w in base.items():
        module = name[:-len(".weight")] if name.endswith(".weight") else None
        if module in modules:
            a = adapter[f"{prefix}{module}.lora_A.weight"].double()
            b = adapter[f"{prefix}{module}.lora_B.weight"].double()
            assert a.shape == (cfg["r"], w.shape[1]) and b.shape == (w.shape[0], cfg["r"]), (name, a.shape, b.shape)
            expected = w.double() + scale * (b @ a)
            if merged[name].dtype != torch.float32:
                # a bfloat16/float16 export: the float64 result rounded as torch rounds it
                expected = expected.to(merged[name].dtype).double()
            worst = max(worst, (merged[name].double() - expected).abs().max().item())
        else:
            assert torch.equal(merged[name], w), name
    print(f"{len(modules)} adapted projections (r={cfg['r']}, lora_alpha={cfg['lora_alpha']}): "
          f"max |merged - (W + alpha/r B A)| = {worst:.2e}; {len(base) - len(modules)} other tensors equal")
    return worst


if __name__ == "__main__":
    sys.exit(0 if main(*sys.argv[1:4]) < 1e-5 else 1)
