#!/usr/bin/env python3
"""
npm run train:music-cnn: the song CNN on log-mel patches, ensembled with the handcrafted model.

Optional step (CI and npm test never need torch). Needs Debian's python3-torch and python3-onnx
(`apt-get install python3-torch python3-onnx`), and two inputs made by the TypeScript side:

  - the clips' log-mel spectrograms, written by training/music/dump-music-mels.ts with the app's own
    log-mel.ts (default /tmp/music-mels);
  - the handcrafted model's nested artist-grouped CV (`npm run train:music`, or
    `node --import tsx training/music/train-music.ts --oof-only`): its outer folds, its outer
    out-of-fold probabilities and, per outer fold, the inner folds and inner out-of-fold
    probabilities (.cache/music/nested-oof-v3.json).

Evaluation (the same outer folds as the handcrafted model, so the figures pair up): for each seed
and outer fold, the CNN trains on the outer training part minus inner fold 0 (artist-grouped);
inner fold 0 picks the epoch, the ensemble weight w (CNN share) and the ensemble temperature; the
outer test part is then scored. Nothing is chosen on the outer test part or on the real-check tracks.
The shipped network trains on all clips minus fold 0 of the first seed (epoch chosen there); its
weight and temperature are the medians of the nested choices.

Writes models/music/cnn-cv.json (the figures) and, only when the ensemble beats the handcrafted
model on the nested CV by more than the spread over seeds, models/music/cnn.onnx (opset 17,
legacy exporter) and models/music/cnn.json (what the app reads: weight, temperature, log-mel
settings); otherwise it removes them, and the app runs the handcrafted model alone.
"""
import argparse
import hashlib
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL_DIR = os.path.join(REPO, 'models', 'music')
K = 4
LOG_FLOOR = math.log(1e-6)
WEIGHTS = [0.0, 0.2, 0.35, 0.5, 0.65, 0.8, 1.0]


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument('step', nargs='?', default='all', choices=['all', 'cv', 'final', 'ensemble'],
                   help='cv: the CNN over the nested folds (one seed with --seed-index); final: the shipped network; '
                        'ensemble: the ensemble choices and figures from both (after cv and final); all: the three in turn')
    p.add_argument('--mels', default='/tmp/music-mels')
    p.add_argument('--oof', default=os.path.join(REPO, '.cache', 'music', 'nested-oof-v3.json'))
    p.add_argument('--work', default='/tmp/music-cnn', help='where the CNN predictions of each step are kept')
    p.add_argument('--epochs', type=int, default=36)
    p.add_argument('--crops', type=int, default=2, help='random crops per clip per epoch')
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed-index', type=int, default=-1, help='cv: only this seed of the nested CV (-1 = all)')
    p.add_argument('--out', default=MODEL_DIR)
    return p.parse_args()


# ---------------------------------------------------------------------------------------------
# Data


def load_mels(mels_dir):
    meta = json.load(open(os.path.join(mels_dir, 'meta.json')))
    flat = np.fromfile(os.path.join(mels_dir, 'mels.f32'), dtype=np.float32)
    bands, pf = meta['bands'], meta['patchFrames']
    clips = []
    for c in meta['clips']:
        m = flat[c['offset']:c['offset'] + c['frames'] * bands].reshape(c['frames'], bands).T.copy()
        if m.shape[1] < pf:  # shorter than a patch: pad with silence, as log-mel.ts patchBatch does
            m = np.concatenate([m, np.full((bands, pf - m.shape[1]), LOG_FLOOR, np.float32)], axis=1)
        clips.append(m)
    y = np.array([c['y'] for c in meta['clips']])
    return meta, clips, y


def patch_starts(frames, pf, hop):
    """log-mel.ts patchStarts."""
    if frames <= pf:
        return [0]
    last = frames - pf
    s = list(range(0, last + 1, hop))
    if s[-1] != last:
        s.append(last)
    return s


def eval_batch(clip, pf, hop):
    starts = patch_starts(clip.shape[1], pf, hop)
    return np.stack([clip[:, s:s + pf] for s in starts])[:, None]


# ---------------------------------------------------------------------------------------------
# Network


class SongCnn(nn.Module):
    """A small CNN on one log-mel patch [n, 1, bands, frames] → quadrant logits [n, 4].

    Stem: 5×5 stride-2 convolution + 2×2 max-pool (a quarter of the cost of stride 1, which the
    indexing budget needs), then two conv blocks with pooling and one without, global average and
    max pooling, dropout, one linear layer. The per-band standardisation of the training data is
    part of the graph, so the app feeds raw log-mel values.
    """

    def __init__(self, mean, std, width=16):
        super().__init__()
        self.register_buffer('mean', torch.tensor(mean, dtype=torch.float32).view(1, 1, -1, 1))
        self.register_buffer('std', torch.tensor(std, dtype=torch.float32).view(1, 1, -1, 1))

        def block(i, o, pool):
            layers = [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]
            return nn.Sequential(*(layers + ([nn.MaxPool2d(2)] if pool else [])))

        w = width
        self.features = nn.Sequential(
            nn.Conv2d(1, w, 5, stride=2, padding=2, bias=False), nn.BatchNorm2d(w), nn.ReLU(), nn.MaxPool2d(2),
            block(w, 2 * w, True), block(2 * w, 4 * w, True), block(4 * w, 4 * w, False),
        )
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(8 * w, K)

    def forward(self, x):
        h = self.features((x - self.mean) / self.std)
        h = torch.cat([h.mean(dim=(2, 3)), h.amax(dim=(2, 3))], dim=1)
        return self.fc(self.drop(h))


def augment(patch, rng):
    """Gain (a constant in log power), a shift of ±1 mel band (a small pitch shift), one
    frequency and one time mask (SpecAugment)."""
    x = patch + rng.uniform(-1.0, 1.0)
    shift = rng.integers(-1, 2)
    if shift:
        x = np.roll(x, shift, axis=0)
        if shift > 0:
            x[:shift] = x[shift]
        else:
            x[shift:] = x[shift - 1]
    fill = x.mean()
    f = rng.integers(0, 9)
    if f:
        f0 = rng.integers(0, x.shape[0] - f)
        x[f0:f0 + f] = fill
    t = rng.integers(0, 17)
    if t:
        t0 = rng.integers(0, x.shape[1] - t)
        x[:, t0:t0 + t] = fill
    return x


def band_stats(clips, rows):
    cat = np.concatenate([clips[i] for i in rows], axis=1)
    return cat.mean(axis=1), cat.std(axis=1) + 1e-3


@torch.no_grad()
def predict(model, clips, rows, pf, hop):
    model.eval()
    out = []
    for i in rows:
        p = F.softmax(model(torch.from_numpy(eval_batch(clips[i], pf, hop))), dim=1).mean(0)
        out.append(p.numpy())
    return np.array(out)


def train_cnn(clips, y, fit_rows, val_rows, seed, args, pf, hop, log):
    """Trains on fit_rows; keeps the epoch with the best macro-F1 (then NLL) on val_rows."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    mean, std = band_stats(clips, fit_rows)
    model = SongCnn(mean, std)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-2)
    steps_per_epoch = math.ceil(len(fit_rows) * args.crops / 32)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=args.epochs * steps_per_epoch, pct_start=0.2)
    best = (-1.0, 0.0, None, -1, None)  # f1, -nll, state, epoch, val probs
    for epoch in range(args.epochs):
        model.train()
        order = np.repeat(np.array(fit_rows), args.crops)
        rng.shuffle(order)
        for b in range(0, len(order), 32):
            idx = order[b:b + 32]
            xs = []
            for i in idx:
                c = clips[i]
                s = rng.integers(0, c.shape[1] - pf + 1)
                xs.append(augment(c[:, s:s + pf].copy(), rng))
            xb = torch.from_numpy(np.stack(xs)[:, None].astype(np.float32))
            loss = F.cross_entropy(model(xb), torch.from_numpy(y[idx]), label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
        if epoch + 1 >= args.epochs // 3 and ((epoch + 1) % 3 == 0 or epoch + 1 == args.epochs):
            pv = predict(model, clips, val_rows, pf, hop)
            f1 = macro_f1(y[val_rows], pv)
            nl = nll(y[val_rows], pv)
            log(f'      epoch {epoch + 1}: inner macro-F1 {100 * f1:.1f}, NLL {nl:.3f}')
            if (f1, -nl) > best[:2]:
                best = (f1, -nl, {k: v.clone() for k, v in model.state_dict().items()}, epoch + 1, pv)
    model.load_state_dict(best[2])
    log(f'    best epoch {best[3]} (inner macro-F1 {100 * best[0]:.1f})')
    return model, best[3], best[4]


# ---------------------------------------------------------------------------------------------
# Scores (as training/music/train-music.ts computes them)


def macro_f1(yt, p):
    pred = p.argmax(1)
    f1s = []
    for k in range(K):
        tp = np.sum((pred == k) & (yt == k))
        fp = np.sum((pred == k) & (yt != k))
        fn = np.sum((pred != k) & (yt == k))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return float(np.mean(f1s))


def per_class_f1(yt, p):
    pred = p.argmax(1)
    out = []
    for k in range(K):
        tp = np.sum((pred == k) & (yt == k))
        fp = np.sum((pred == k) & (yt != k))
        fn = np.sum((pred != k) & (yt == k))
        out.append(0.0 if tp == 0 else float(2 * tp / (2 * tp + fp + fn)))
    return out


def nll(yt, p):
    return float(-np.mean(np.log(np.clip(p[np.arange(len(yt)), yt], 1e-12, None))))


def arousal_sign(yt, p):
    hi_true = yt <= 1
    hi_pred = (p[:, 0] + p[:, 1]) > (p[:, 2] + p[:, 3])
    return float(np.mean(hi_true == hi_pred))


def temper(p, t):
    q = np.exp(np.log(np.clip(p, 1e-12, None)) / t)
    return q / q.sum(1, keepdims=True)


def fit_temperature(yt, p):
    grid = np.exp(np.linspace(math.log(0.4), math.log(3.0), 61))
    return float(min(grid, key=lambda t: nll(yt, temper(p, t))))


def mix(hand, cnn, w):
    return (1 - w) * hand + w * cnn


def choose_ensemble(yt, hand, cnn):
    """The CNN share (best macro-F1, then NLL) and the temperature, on inner out-of-fold rows."""
    scored = [(macro_f1(yt, mix(hand, cnn, w)), -nll(yt, mix(hand, cnn, w)), w) for w in WEIGHTS]
    w = max(scored)[2]
    return w, fit_temperature(yt, mix(hand, cnn, w))


def summary(values):
    a = np.array(values)
    return {'mean': float(a.mean()), 'sd': float(a.std()), 'min': float(a.min()), 'max': float(a.max())}


# ---------------------------------------------------------------------------------------------


def step_cv(args, clips, y, meta, nested, log, t0):
    """The CNN on every outer fold of the nested CV: its inner-validation and outer-test probabilities."""
    pf, hop = meta['patchFrames'], meta['patchHop']
    rows_all = np.arange(len(clips))
    runs = nested if args.seed_index < 0 else [nested[args.seed_index]]
    for run in runs:
        seed = run['seed']
        outer = np.array(run['outer'])
        out_file = os.path.join(args.work, f'cv-{seed}.json')
        folds = []
        for f in range(5):
            inner = run['inner'][f]
            train_rows = np.array(inner['rows'])
            inner_folds = np.array(inner['folds'])
            val_rows = train_rows[inner_folds == 0]
            fit_rows = train_rows[inner_folds != 0]
            test_rows = rows_all[outer == f]
            log(f'  seed {seed} outer fold {f}: fit {len(fit_rows)}, inner validation {len(val_rows)}, test {len(test_rows)}')
            model, epoch, p_val = train_cnn(clips, y, fit_rows, val_rows, seed + f, args, pf, hop, log)
            p_test = predict(model, clips, test_rows, pf, hop)
            log(f'    CNN alone on the outer test part: macro-F1 {100 * macro_f1(y[test_rows], p_test):.1f}  [{time.time() - t0:.0f} s]')
            folds.append({'fold': f, 'epoch': epoch, 'valRows': val_rows.tolist(), 'pVal': p_val.tolist(),
                          'testRows': test_rows.tolist(), 'pTest': p_test.tolist()})
            # Kept after every fold, so a slow run still leaves what it finished.
            json.dump({'seed': seed, 'epochs': args.epochs, 'crops': args.crops, 'folds': folds}, open(out_file, 'w'))


def step_final(args, clips, y, meta, nested, log, t0):
    """The shipped network: all clips but fold 0 of the first seed, which picks the epoch; exported to ONNX."""
    pf, hop = meta['patchFrames'], meta['patchHop']
    rows_all = np.arange(len(clips))
    first = nested[0]
    outer = np.array(first['outer'])
    fit_rows, val_rows = rows_all[outer != 0], rows_all[outer == 0]
    log(f'shipped network: fit {len(fit_rows)}, validation {len(val_rows)} (outer fold 0 of seed {first["seed"]})')
    model, epoch, p_val = train_cnn(clips, y, fit_rows, val_rows, first['seed'], args, pf, hop, log)
    model.eval()
    os.makedirs(args.work, exist_ok=True)
    onnx_path = os.path.join(args.work, 'cnn.onnx')
    torch.onnx.export(model, torch.zeros(3, 1, meta['bands'], pf), onnx_path, opset_version=17, input_names=['mel'], output_names=['logits'],
                      dynamic_axes={'mel': {0: 'patches'}, 'logits': {0: 'patches'}}, do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(onnx_path))
    # A reference for the parity test (song-cnn.test.ts builds the same input): x[i] = -6 + 3 sin(0.37 i).
    n_ref = 2 * meta['bands'] * pf
    ref_in = (-6 + 3 * np.sin(0.37 * np.arange(n_ref))).astype(np.float32).reshape(2, 1, meta['bands'], pf)
    with torch.no_grad():
        ref_out = model(torch.from_numpy(ref_in)).numpy()
    json.dump({'seed': first['seed'], 'epoch': epoch, 'fitClips': int(len(fit_rows)), 'valRows': val_rows.tolist(), 'pVal': p_val.tolist(),
               'reference': [[round(float(v), 5) for v in row] for row in ref_out]}, open(os.path.join(args.work, 'final.json'), 'w'))
    log(f'  exported {onnx_path} ({os.path.getsize(onnx_path)} bytes)  [{time.time() - t0:.0f} s]')


def step_ensemble(args, clips, y, meta, nested, log, t0):
    """Pairs the CNN's predictions with the handcrafted model's nested ones: per outer fold the inner
    validation part picks the CNN share and the temperature, the outer test part is scored."""
    runs = []
    for run in nested:
        seed = run['seed']
        cv_file = os.path.join(args.work, f'cv-{seed}.json')
        if not os.path.exists(cv_file):
            log(f'  seed {seed}: no CNN predictions ({cv_file}); left out')
            continue
        cv = json.load(open(cv_file))
        outer = np.array(run['outer'])
        hand_oof = np.array(run['probs'])
        done, choices = [], []
        cnn_oof, ens_oof, half_oof = (np.zeros((len(clips), K)) for _ in range(3))
        for fold in cv['folds']:
            f = fold['fold']
            inner = run['inner'][f]
            train_rows, inner_folds = np.array(inner['rows']), np.array(inner['folds'])
            val_rows, test_rows = np.array(fold['valRows']), np.array(fold['testRows'])
            if not (np.array_equal(val_rows, train_rows[inner_folds == 0]) and np.array_equal(test_rows, np.where(outer == f)[0])):
                raise SystemExit(f'seed {seed} fold {f}: the CNN was trained on other folds than the handcrafted model; rerun both')
            hand_val = np.array(inner['probs'])[inner_folds == 0]
            p_val, p_test = np.array(fold['pVal']), np.array(fold['pTest'])
            w, t = choose_ensemble(y[val_rows], hand_val, p_val)
            cnn_oof[test_rows] = p_test
            ens_oof[test_rows] = temper(mix(hand_oof[test_rows], p_test, w), t)
            half_oof[test_rows] = mix(hand_oof[test_rows], p_test, 0.5)
            choices.append({'fold': f, 'epoch': fold['epoch'], 'weight': w, 'temperature': t})
            done.append(test_rows)
            log(f'  seed {seed} fold {f}: handcrafted {100 * macro_f1(y[test_rows], hand_oof[test_rows]):.1f}, CNN {100 * macro_f1(y[test_rows], p_test):.1f}, '
                f'ensemble (w {w}, T {t:.2f}) {100 * macro_f1(y[test_rows], ens_oof[test_rows]):.1f}')
        done = np.concatenate(done)
        yt = y[done]
        r = {'seed': seed, 'folds': len(cv['folds']), 'choices': choices}
        for name, p in [('handcrafted', hand_oof), ('cnn', cnn_oof), ('ensemble', ens_oof), ('ensembleFixedHalf', half_oof)]:
            r[name] = {'macroF1': macro_f1(yt, p[done]), 'perClassF1': per_class_f1(yt, p[done]), 'arousalSign': arousal_sign(yt, p[done]), 'nll': nll(yt, p[done])}
        runs.append(r)
        log(f'  seed {seed} ({len(cv["folds"])} folds): handcrafted {100 * r["handcrafted"]["macroF1"]:.1f}, CNN {100 * r["cnn"]["macroF1"]:.1f}, '
            f'ensemble {100 * r["ensemble"]["macroF1"]:.1f}, fixed half {100 * r["ensembleFixedHalf"]["macroF1"]:.1f}')
    summ = {}
    for name in ['handcrafted', 'cnn', 'ensemble', 'ensembleFixedHalf']:
        summ[name] = {
            'macroF1': summary([r[name]['macroF1'] for r in runs]),
            'perClassF1': [summary([r[name]['perClassF1'][k] for r in runs]) for k in range(K)],
            'arousalSign': summary([r[name]['arousalSign'] for r in runs]),
            'nll': summary([r[name]['nll'] for r in runs]),
        }
    log(f'\nnested artist-grouped CV, the handcrafted model\'s outer folds; mean ± sd over {len(runs)} seed(s):')
    for name, sm in summ.items():
        log(f'  {name:18s} macro-F1 {100 * sm["macroF1"]["mean"]:.1f} ± {100 * sm["macroF1"]["sd"]:.1f} %  '
            f'(range {100 * sm["macroF1"]["min"]:.1f}–{100 * sm["macroF1"]["max"]:.1f}), arousal sign {100 * sm["arousalSign"]["mean"]:.1f} %, NLL {sm["nll"]["mean"]:.3f}')
    all_choices = [c for r in runs for c in r['choices']]
    weight = float(np.median([c['weight'] for c in all_choices]))
    temperature = float(np.median([c['temperature'] for c in all_choices]))
    report = {'date': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()), 'protocol': __doc__.split('Evaluation')[1].split('Writes')[0].strip(),
              'epochs': args.epochs, 'crops': args.crops, 'weights': WEIGHTS, 'summary': summ, 'runs': runs,
              'medianChoice': {'weight': weight, 'temperature': temperature}}
    final_file = os.path.join(args.work, 'final.json')
    os.makedirs(args.out, exist_ok=True)
    # Ship only an ensemble that beats the handcrafted model on the nested CV by more than the seeds' spread.
    gain = summ['ensemble']['macroF1']['mean'] - summ['handcrafted']['macroF1']['mean']
    spread = max(summ['ensemble']['macroF1']['sd'], summ['handcrafted']['macroF1']['sd'])
    report['shipDecision'] = {'gain': gain, 'spread': spread, 'shipped': bool(gain > spread)}
    if gain <= spread:
        log(f'not shipped: the ensemble gains {100 * gain:+.1f} points over the handcrafted model, spread {100 * spread:.1f}; '
            f'models/music/cnn.onnx and cnn.json are left out, so the app keeps the handcrafted model alone')
        for name in ('cnn.onnx', 'cnn.json'):
            if os.path.exists(os.path.join(args.out, name)):
                os.remove(os.path.join(args.out, name))
    elif os.path.exists(final_file):
        final = json.load(open(final_file))
        val_rows, p_val = np.array(final['valRows']), np.array(final['pVal'])
        hand_val = np.array(nested[0]['probs'])[val_rows]
        log(f'shipped network (epoch {final["epoch"]}) on its validation part: CNN {100 * macro_f1(y[val_rows], p_val):.1f}, '
            f'handcrafted {100 * macro_f1(y[val_rows], hand_val):.1f}, ensemble (w {weight}, T {temperature:.3f}) '
            f'{100 * macro_f1(y[val_rows], temper(mix(hand_val, p_val, weight), temperature)):.1f}')
        onnx_bytes = open(os.path.join(args.work, 'cnn.onnx'), 'rb').read()
        open(os.path.join(args.out, 'cnn.onnx'), 'wb').write(onnx_bytes)
        card = {
            'format': 'portrait-songs/music-cnn@1', 'onnx': 'cnn.onnx', 'sha256': hashlib.sha256(onnx_bytes).hexdigest(),
            'logMelVersion': meta['logMelVersion'], 'bands': meta['bands'], 'patchFrames': meta['patchFrames'], 'patchHop': meta['patchHop'],
            'weight': weight, 'temperature': round(temperature, 4), 'epoch': final['epoch'],
            'reference': {'input': '-6 + 3 sin(0.37 i), 2 patches', 'logits': final['reference']},
        }
        json.dump(card, open(os.path.join(args.out, 'cnn.json'), 'w'), indent=2)
        report['shipped'] = {'epoch': final['epoch'], 'fitClips': final['fitClips'], 'validationClips': len(val_rows), 'weight': weight, 'temperature': temperature}
        log(f'wrote {args.out}/cnn.onnx and cnn.json')
    json.dump(report, open(os.path.join(args.out, 'cnn-cv.json'), 'w'), indent=2)
    log(f'wrote {args.out}/cnn-cv.json')


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    t0 = time.time()
    log = lambda s: print(s, flush=True)  # noqa: E731
    meta, clips, y = load_mels(args.mels)
    nested = json.load(open(args.oof))
    os.makedirs(args.work, exist_ok=True)
    log(f'{len(clips)} clips, log-mel v{meta["logMelVersion"]} ({meta["bands"]} bands, patches of {meta["patchFrames"]} frames every {meta["patchHop"]}); '
        f'seeds {[r["seed"] for r in nested]}; {args.epochs} epochs × {args.crops} crops; {args.threads} thread(s)')
    if args.step in ('cv', 'all'):
        step_cv(args, clips, y, meta, nested, log, t0)
    if args.step in ('final', 'all'):
        step_final(args, clips, y, meta, nested, log, t0)
    if args.step in ('ensemble', 'all'):
        step_ensemble(args, clips, y, meta, nested, log, t0)


if __name__ == '__main__':
    main()
