"""
The PyTorch reference for `npm run bench:gpt`: the same GPT-2-style model as src/gpt/model.ts
(same parameter names and layouts: Conv1D weights [in, out], tied head, tanh-GELU, LayerNorm eps 1e-5),
trained the same way (random windows, AdamW with decay on matrices only, global-norm clip 1.0).

    python3 bench/gpt_torch.py --batch 16 --steps 20 --threads 2        # prints one JSON line
    python3 bench/gpt_torch.py --logits runs/.../ckpt --text "ROMEO:"   # loads a fivelens checkpoint

Needs Debian's python3-torch with libopenblas0-pthread (apt-get install -y python3-torch libopenblas0-pthread).
"""
import argparse, json, math, os, struct, time
import torch

def load_safetensors(path):
    """A dependency-free safetensors reader (F32 only), so the `safetensors` package is not needed."""
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == '__metadata__':
            continue
        assert e['dtype'] == 'F32', name
        b, end = e['data_offsets']
        out[name] = torch.frombuffer(bytearray(data[b:end]), dtype=torch.float32).reshape(e['shape'])
    return out

class GPT(torch.nn.Module):
    def __init__(self, cfg, V):
        super().__init__()
        self.cfg, self.V = cfg, V
        C, L = cfg['nEmbd'], cfg['nLayer']
        p = {'wte': (V, C), 'wpe': (cfg['blockSize'], C)}
        for l in range(L):
            h = f'h.{l}'
            p.update({f'{h}.ln_1.weight': (C,), f'{h}.ln_1.bias': (C,), f'{h}.attn.c_attn.weight': (C, 3 * C), f'{h}.attn.c_attn.bias': (3 * C,),
                      f'{h}.attn.c_proj.weight': (C, C), f'{h}.attn.c_proj.bias': (C,), f'{h}.ln_2.weight': (C,), f'{h}.ln_2.bias': (C,),
                      f'{h}.mlp.c_fc.weight': (C, 4 * C), f'{h}.mlp.c_fc.bias': (4 * C,), f'{h}.mlp.c_proj.weight': (4 * C, C), f'{h}.mlp.c_proj.bias': (C,)})
        p.update({'ln_f.weight': (C,), 'ln_f.bias': (C,)})
        if not cfg.get('tieWeights', True):
            p['lm_head.weight'] = (V, C)
        self.names = list(p)
        self.p = torch.nn.ParameterDict({k.replace('.', '__'): torch.nn.Parameter(torch.zeros(s)) for k, s in p.items()})
        g = torch.Generator().manual_seed(0)
        for k, s in p.items():
            t = self.p[k.replace('.', '__')]
            with torch.no_grad():
                if k.endswith('.bias'): t.zero_()
                elif k.startswith('ln_') or '.ln_' in k: t.fill_(1.0)
                else: t.normal_(0, 0.02 / math.sqrt(2 * L) if k.endswith('c_proj.weight') else 0.02, generator=g)
        T = cfg['blockSize']
        self.register_buffer('mask', torch.triu(torch.full((T, T), float('-inf')), 1))

    def w(self, k):
        return self.p[k.replace('.', '__')]

    def load_fivelens(self, tensors):
        with torch.no_grad():
            for k in self.names:
                self.w(k).copy_(tensors[k])

    def forward(self, idx):
        B, T = idx.shape
        C, H = self.cfg['nEmbd'], self.cfg['nHead']
        D = C // H
        ln = lambda x, n: torch.nn.functional.layer_norm(x, (C,), self.w(n + '.weight'), self.w(n + '.bias'), 1e-5)
        lin = lambda x, n: torch.addmm(self.w(n + '.bias'), x, self.w(n + '.weight'))
        x = (self.w('wte')[idx] + self.w('wpe')[:T]).reshape(B * T, C)
        for l in range(self.cfg['nLayer']):
            h = f'h.{l}'
            q, k, v = lin(ln(x, h + '.ln_1'), h + '.attn.c_attn').reshape(B, T, 3, H, D).permute(2, 0, 3, 1, 4)
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(D) + self.mask[:T, :T], dim=-1)
            y = (att @ v).transpose(1, 2).reshape(B * T, C)
            x = x + lin(y, h + '.attn.c_proj')
            x = x + lin(torch.nn.functional.gelu(lin(ln(x, h + '.ln_2'), h + '.mlp.c_fc'), approximate='tanh'), h + '.mlp.c_proj')
        x = ln(x, 'ln_f')
        head = self.w('wte') if self.cfg.get('tieWeights', True) else self.w('lm_head.weight')
        return (x @ head.t()).reshape(B, T, self.V)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--steps', type=int, default=20)
    ap.add_argument('--warmup', type=int, default=3)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--corpus', default=os.path.join(os.path.dirname(__file__), '..', 'data', 'tinyshakespeare.txt'))
    ap.add_argument('--logits', help='a fivelens checkpoint folder: print the logits of --text')
    ap.add_argument('--text', default='ROMEO:')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    if a.logits:
        cfg = json.load(open(os.path.join(a.logits, 'config.json')))
        chars = json.load(open(os.path.join(a.logits, 'vocab.json')))['chars']
        m = GPT(cfg, len(chars))
        m.load_fivelens(load_safetensors(os.path.join(a.logits, 'model.safetensors')))
        idx = torch.tensor([[chars.index(c) for c in a.text]])
        with torch.no_grad():
            print(json.dumps(m(idx)[0].tolist()))
        return
    text = open(a.corpus, encoding='utf-8').read()
    chars = sorted(set(text))
    data = torch.tensor([chars.index(c) for c in text[: len(text) * 9 // 10]], dtype=torch.long)
    cfg = {'nLayer': 4, 'nHead': 4, 'nEmbd': 128, 'blockSize': 64, 'tieWeights': True}
    m = GPT(cfg, len(chars))
    decay = [m.w(k) for k in m.names if m.w(k).dim() >= 2]
    no_decay = [m.w(k) for k in m.names if m.w(k).dim() < 2]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.1}, {'params': no_decay, 'weight_decay': 0.0}], lr=4e-3, betas=(0.9, 0.99))  # baby's default peak lr (src/gpt/config.ts BABY_TRAIN); a speed benchmark: lr does not change the time
    g = torch.Generator().manual_seed(1)
    T, B = cfg['blockSize'], a.batch
    def step():
        ix = torch.randint(len(data) - T, (B,), generator=g)
        x = torch.stack([data[i:i + T] for i in ix]); y = torch.stack([data[i + 1:i + T + 1] for i in ix])
        loss = torch.nn.functional.cross_entropy(m(x).reshape(B * T, -1), y.reshape(-1))
        opt.zero_grad(set_to_none=True); loss.backward()
        torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0); opt.step()
        return loss.item()
    for _ in range(a.warmup): step()
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(a.steps): loss = step()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({'tokensPerSec': a.steps * B * T / wall, 'tokensPerCpuSec': a.steps * B * T / cpu, 'threads': a.threads, 'batch': B, 'steps': a.steps, 'loss': loss, 'torch': torch.__version__}))

if __name__ == '__main__':
    main()
