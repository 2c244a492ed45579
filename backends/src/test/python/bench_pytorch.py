#!/usr/bin/env python3
"""The bench-small model and the prefopt bench measurements in PyTorch eager, for comparison with
prefopt bench (same shapes, same batch sizes, same thread count).

    /usr/bin/python3 backends/src/test/python/bench_pytorch.py --threads 2 [--json]

Debian: apt-get install -y python3-torch libopenblas0-pthread (the default reference BLAS is far slower).
Model: Llama-style, 8 layers, hidden 512, 8 heads, 2 KV heads, SwiGLU 1408, vocab 4096, tied embeddings.
Generation: batch 64, 32-token prompts, 128 new tokens sampled at temperature 1 with a KV cache.
Training: batch 8 × 256 tokens (64 prompt + 192 completion), log-prob loss on the completion, backward, AdamW.
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F

V, H, L, NH, KVH, I = 4096, 512, 8, 8, 2, 1408
D = H // NH
EPS = 1e-5


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        g = torch.Generator().manual_seed(0)
        p = lambda *s: torch.nn.Parameter(torch.randn(*s, generator=g) * 0.02)
        self.embed = p(V, H)
        self.layers = torch.nn.ModuleList()
        for _ in range(L):
            m = torch.nn.Module()
            m.ln1, m.ln2 = torch.nn.Parameter(torch.ones(H)), torch.nn.Parameter(torch.ones(H))
            m.q, m.k, m.v, m.o = p(NH * D, H), p(KVH * D, H), p(KVH * D, H), p(H, NH * D)
            m.gate, m.up, m.down = p(I, H), p(I, H), p(H, I)
            self.layers.append(m)
        self.norm = torch.nn.Parameter(torch.ones(H))
        self.inv = 1.0 / (10000.0 ** (torch.arange(0, D, 2).float() / D))

    @staticmethod
    def rms(x, w):
        return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + EPS))

    @staticmethod
    def rot(x):
        x1, x2 = x[..., : D // 2], x[..., D // 2:]
        return torch.cat((-x2, x1), -1)

    def forward(self, ids, pos, mask, cache=None):
        b, t = ids.shape
        x = F.embedding(ids, self.embed)
        f = pos[..., None].float() * self.inv
        e = torch.cat((f, f), -1)
        cos, sin = e.cos()[:, None], e.sin()[:, None]
        for li, m in enumerate(self.layers):
            h = self.rms(x, m.ln1)
            q = F.linear(h, m.q).view(b, t, NH, D).transpose(1, 2)
            k = F.linear(h, m.k).view(b, t, KVH, D).transpose(1, 2)
            v = F.linear(h, m.v).view(b, t, KVH, D).transpose(1, 2)
            q, k = q * cos + self.rot(q) * sin, k * cos + self.rot(k) * sin
            if cache is not None:
                if cache[li] is not None:
                    k, v = torch.cat((cache[li][0], k), 2), torch.cat((cache[li][1], v), 2)
                cache[li] = (k, v)
            qg = q.view(b, KVH, NH // KVH, t, D)
            s = qg @ k[:, :, None].transpose(-1, -2) / math.sqrt(D) + mask
            a = (s.softmax(-1) @ v[:, :, None]).reshape(b, NH, t, D).transpose(1, 2).reshape(b, t, H)
            x = x + F.linear(a, m.o)
            h = self.rms(x, m.ln2)
            x = x + F.linear(F.silu(F.linear(h, m.gate)) * F.linear(h, m.up), m.down)
        return self.rms(x, self.norm)


def causal_mask(t):
    return torch.full((t, t), -1e30).triu(1)[None, None, None]


@torch.no_grad()
def generate(model, prompts, new_tokens):
    b, t = prompts.shape
    cache = [None] * L
    pos = torch.arange(t)[None].expand(b, t)
    h = model(prompts, pos, causal_mask(t), cache)
    logits = F.linear(h[:, -1], model.embed)
    out = []
    for s in range(new_tokens):
        logp = logits.log_softmax(-1)
        nxt = torch.multinomial(logp.exp(), 1)
        out.append(nxt)
        if s == new_tokens - 1:
            break
        pos = torch.full((b, 1), t + s)
        h = model(nxt, pos, torch.zeros(1, 1, 1, 1, t + s + 1), cache)
        logits = F.linear(h[:, -1], model.embed)
    return torch.cat(out, 1)


def train_step(model, opt, seqs, prompt_len):
    b, t = seqs.shape
    h = model(seqs, torch.arange(t)[None].expand(b, t), causal_mask(t))
    hs = h[:, prompt_len - 1: t - 1]
    logp = F.linear(hs, model.embed).float().log_softmax(-1).gather(-1, seqs[:, prompt_len:, None]).squeeze(-1)
    loss = -logp.mean()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    opt.zero_grad()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--prompt-len", type=int, default=32)
    ap.add_argument("--new-tokens", type=int, default=128)
    ap.add_argument("--train-batch", type=int, default=8)
    ap.add_argument("--train-len", type=int, default=256)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    if a.threads > 0:
        torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Model()
    params = sum(p.numel() for p in model.parameters())
    n = 1024
    x, y = torch.randn(n, n), torch.randn(n, n)
    x @ y
    t0 = time.perf_counter()
    for _ in range(10):
        x @ y
    matmul = 2 * n ** 3 * 10 / (time.perf_counter() - t0)

    prompts = torch.randint(100, V, (a.batch, a.prompt_len))
    generate(model, prompts[:4], 4)
    gen = min(timed(lambda: generate(model, prompts, a.new_tokens)) for _ in range(a.repeats))
    gen_tps = a.batch * a.new_tokens / gen

    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.0)
    seqs = torch.randint(100, V, (a.train_batch, a.train_len))
    pl = a.train_len // 4
    train_step(model, opt, seqs, pl)
    tr = min(timed(lambda: train_step(model, opt, seqs, pl)) for _ in range(a.repeats))
    train_tps = a.train_batch * a.train_len / tr
    o = dict(implementation="pytorch-eager-" + torch.__version__, model="bench-small", parameters=params,
             threads=torch.get_num_threads(), generation_batch=a.batch, generation_new_tokens=a.new_tokens,
             generation_tokens_per_s=gen_tps, train_batch=a.train_batch, train_seq_len=a.train_len,
             train_tokens_per_s=train_tps, matmul_flops=matmul,
             generation_matmul_fraction=2 * params * gen_tps / matmul,
             train_matmul_fraction=6 * params * train_tps / matmul)
    if a.json:
        print(json.dumps(o))
    else:
        for k, v in o.items():
            print(f"{k}: {v}")


def timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
