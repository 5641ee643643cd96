#!/usr/bin/env python3
"""
Converts the pretrained musicnn networks (PyPI `musicnn` 0.1.0, ISC; Pons & Serra 2019) to ONNX for
the app's song workers, and proves the conversion against the package's own extractor.

Developer-only (the app, CI and `npm test` never run Python). Set-up, in a virtual environment:

    python3 -m venv /tmp/musicnn-venv
    /tmp/musicnn-venv/bin/pip install "tensorflow-cpu==2.15.1" "numpy<2" "protobuf<5" "ml-dtypes~=0.3.1" \
        librosa==0.10.2.post1 soundfile "onnx==1.16.2" "onnxruntime==1.20.1"
    /tmp/musicnn-venv/bin/pip install --no-deps musicnn==0.1.0   # its numpy<1.17 pin cannot install on 3.11
    /tmp/musicnn-venv/bin/python training/music/musicnn/convert-musicnn.py [--clips 24]

What it does:
  1. reads each checkpoint (MTT_musicnn, MSD_musicnn) from the installed package with TensorFlow's
     checkpoint reader — weights only, none of the package's code is used to build the graph;
  2. writes the network as an ONNX graph built here node by node (opset 18): input `mel`
     [n, frames, 96] (the package's log-mel patches), outputs `taggram` [n, 50] (sigmoid),
     `penultimate` [n, 200], `mean_pool` and `max_pool` [n, 753];
  3. runs the package's own `musicnn.extractor.extractor` on --clips audio files (4Q clips and the
     shared music library) and the ONNX graph on the very patches the extractor fed its network;
     fails unless taggram and penultimate agree within 1e-4 (the pools within 1e-3, relative above 1);
  4. writes the front end's reference values (electron/engine/music/fixtures/musicnn-frontend.json):
     librosa's log-mel of a signal both languages can generate, and the graphs' outputs on it, which
     electron/engine/music/musicnn.test.ts checks the TypeScript front end and ONNX Runtime against.

Writes models/music/musicnn/{mtt,msd}.onnx, manifest.json (source package, version, sha256 of each
graph, tags) and LICENSE-musicnn.md (the package's ISC notice).
"""
import argparse
import csv
import glob
import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import time

import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
OUT_DIR = os.path.join(REPO, 'models', 'music', 'musicnn')
FIXTURE = os.path.join(REPO, 'electron', 'engine', 'music', 'fixtures', 'musicnn-frontend.json')
DATA = os.path.join(os.path.dirname(REPO), 'shared', 'data', 'music')

MODELS = {'mtt': 'MTT_musicnn', 'msd': 'MSD_musicnn'}
BN_EPS = 1e-3  # tf.compat.v1.layers.batch_normalization's default
N_MELS = 96
FRONT = 561  # 2 × 204 timbral + 3 × 51 temporal filters
MID = 64


def read_checkpoint(tf, pkg_dir, name):
    reader = tf.compat.v1.train.NewCheckpointReader(os.path.join(pkg_dir, name) + '/')
    return {k: reader.get_tensor(k) for k in reader.get_variable_to_shape_map() if 'Adam' not in k and 'power' not in k}


def build_onnx(w, name):
    """The musicnn graph (models.build_musicnn with 7774timbraltemporal front end, 64-filter mid end,
    200-unit back end) in NCHW: time is H, mel bands are W."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []

    def const(cname, arr):
        inits.append(numpy_helper.from_array(np.asarray(arr, dtype=np.float32) if np.asarray(arr).dtype.kind == 'f' else np.asarray(arr), cname))
        return cname

    def node(op, ins, out, **attrs):
        nodes.append(helper.make_node(op, ins, [out], name=out, **attrs))
        return out

    def bn(x, idx, shape):
        g, b = w[f'batch_normalization{idx}/gamma'], w[f'batch_normalization{idx}/beta']
        m, v = w[f'batch_normalization{idx}/moving_mean'], w[f'batch_normalization{idx}/moving_variance']
        scale = g / np.sqrt(v + BN_EPS)
        shift = b - m * scale
        tag = f'bn{idx or "_0"}'
        y = node('Mul', [x, const(f'{tag}_scale', scale.reshape(shape))], f'{tag}_mul')
        return node('Add', [y, const(f'{tag}_shift', shift.reshape(shape))], f'{tag}_out')

    def conv2d(x, idx, pads):
        k = w[f'conv2d{idx}/kernel']  # [kh, kw, in, out]
        kk = np.transpose(k, (3, 2, 0, 1))
        tag = f'conv{idx or "_0"}'
        y = node('Conv', [x, const(f'{tag}_w', kk), const(f'{tag}_b', w[f'conv2d{idx}/bias'])], f'{tag}_out', pads=pads)
        return node('Relu', [y], f'{tag}_relu')

    def conv1d(x, idx):
        # A TF conv2d whose kernel spans the whole feature axis is a 1-D convolution over time.
        k = w[f'conv2d{idx}/kernel']  # [7, in, 1, out]
        kk = np.transpose(k[:, :, 0, :], (2, 1, 0))  # [out, in, 7]
        tag = f'conv{idx}'
        y = node('Conv', [x, const(f'{tag}_w', kk), const(f'{tag}_b', w[f'conv2d{idx}/bias'])], f'{tag}_out', pads=[3, 3])
        return node('Relu', [y], f'{tag}_relu')

    axes3 = const('axes_3', np.array([3], dtype=np.int64))
    axes2 = const('axes_2', np.array([2], dtype=np.int64))
    axes1 = const('axes_1', np.array([1], dtype=np.int64))

    x = node('Unsqueeze', ['mel', axes1], 'mel_nchw')  # [n, 1, T, 96]
    x = bn(x, '', (1, 1, 1, 1))

    def branch(idx, bn_idx, pads, ch):
        y = conv2d(x, idx, pads)
        y = bn(y, bn_idx, (1, ch, 1, 1))
        return node('ReduceMax', [y, axes3], f'pool{idx}', keepdims=0)  # max over mel bands → [n, ch, T]

    # TF 'same' padding puts the odd extra row after: kernel 128 → 63 before, 64 after.
    f74 = branch('', '_1', [3, 0, 3, 0], 204)
    f77 = branch('_1', '_2', [3, 0, 3, 0], 204)
    s1 = branch('_2', '_3', [63, 0, 64, 0], 51)
    s2 = branch('_3', '_4', [31, 0, 32, 0], 51)
    s3 = branch('_4', '_5', [15, 0, 16, 0], 51)
    front = node('Concat', [f74, f77, s1, s2, s3], 'front', axis=1)  # [n, 561, T]

    c1 = bn(conv1d(front, '_5'), '_6', (1, MID, 1))
    c2 = node('Add', [bn(conv1d(c1, '_6'), '_7', (1, MID, 1)), c1], 'res2')
    c3 = node('Add', [bn(conv1d(c2, '_7'), '_8', (1, MID, 1)), c2], 'res3')
    mid = node('Concat', [front, c1, c2, c3], 'mid', axis=1)  # [n, 753, T]

    node('ReduceMax', [mid, axes2], 'max_pool', keepdims=0)
    node('ReduceMean', [mid, axes2], 'mean_pool', keepdims=0)
    # TF flattens [n, 753, 2] (max, mean side by side): interleave them the same way.
    mx = node('Unsqueeze', ['max_pool', axes2], 'max_u')
    mn = node('Unsqueeze', ['mean_pool', axes2], 'mean_u')
    pair = node('Concat', [mx, mn], 'pool_pair', axis=2)
    flat = node('Reshape', [pair, const('flat_shape', np.array([0, -1], dtype=np.int64))], 'flat')
    flat = bn(flat, '_9', (1, -1))
    d = node('Gemm', [flat, const('dense_w', w['dense/kernel']), const('dense_b', w['dense/bias'])], 'dense')
    d = node('Relu', [d], 'dense_relu')
    pen = bn(d, '_10', (1, -1))
    node('Identity', [pen], 'penultimate')
    logits = node('Gemm', ['penultimate', const('out_w', w['dense_1/kernel']), const('out_b', w['dense_1/bias'])], 'logits')
    node('Sigmoid', [logits], 'taggram')

    graph = helper.make_graph(
        nodes, f'musicnn_{name}',
        [helper.make_tensor_value_info('mel', TensorProto.FLOAT, ['n', 't', N_MELS])],
        [helper.make_tensor_value_info('taggram', TensorProto.FLOAT, ['n', 50]),
         helper.make_tensor_value_info('penultimate', TensorProto.FLOAT, ['n', 200]),
         helper.make_tensor_value_info('mean_pool', TensorProto.FLOAT, ['n', FRONT + 3 * MID]),
         helper.make_tensor_value_info('max_pool', TensorProto.FLOAT, ['n', FRONT + 3 * MID])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 18)], producer_name='portrait-songs convert-musicnn.py')
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def parity_clips(n):
    """Half 4Q clips (spread over quadrants), half files of the shared library."""
    rows = list(csv.DictReader(open(os.path.join(DATA, '4q-panda2018', 'labels.csv'))))
    rows.sort(key=lambda r: r['song_id'])
    per_q = {}
    for r in rows:
        per_q.setdefault(r['quadrant'], []).append(os.path.join(DATA, '4q-panda2018', r['file']))
    four = [per_q[q][i] for i in range(n) for q in sorted(per_q)][: n - n // 3]
    lib = sorted(f for f in glob.glob(os.path.join(DATA, 'library', '*', '*')) if f.rsplit('.', 1)[-1] in ('ogg', 'flac', 'wav'))
    return four + lib[: n - len(four)]


def frontend_signal(n):
    """A test signal both languages can generate from integers: two tones, a chirp, a click train."""
    i = np.arange(n, dtype=np.float64)
    t = i / 16000.0
    x = 0.25 * np.sin(2 * np.pi * 220.0 * t) + 0.12 * np.sin(2 * np.pi * 3520.0 * t)
    x += 0.1 * np.sin(2 * np.pi * (200.0 * t + 900.0 * t * t))
    x += np.where(i % 4000 < 8, 0.5, 0.0)
    return x.astype(np.float32)


def log_mel(librosa, audio):
    """The package's batch_data front end, on samples already at 16 kHz."""
    rep = librosa.feature.melspectrogram(y=audio, sr=16000, hop_length=256, n_fft=512, n_mels=N_MELS).T
    rep = rep.astype(np.float16)
    return np.log10(10000 * rep + 1)  # float16 × Python int → float32 under numpy < 2's casting rules


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[1])
    ap.add_argument('--clips', type=int, default=24)
    args = ap.parse_args()

    import librosa
    import onnx
    import onnxruntime as ort
    import tensorflow as tf
    import musicnn
    from musicnn import extractor as mx

    if np.lib.NumpyVersion(np.__version__) >= '2.0.0':
        sys.exit('numpy < 2 is needed: the package computes its log-mel with numpy 1 casting rules')
    pkg_dir = os.path.dirname(musicnn.__file__)
    version = importlib.metadata.version('musicnn')
    os.makedirs(OUT_DIR, exist_ok=True)

    manifest = {'format': 'portrait-songs/musicnn@1', 'source': {
        'package': 'musicnn', 'version': version, 'licence': 'ISC',
        'authors': 'Jordi Pons, Xavier Serra (Music Technology Group, Universitat Pompeu Fabra)',
        'paper': 'Pons & Serra, "musicnn: pre-trained convolutional neural networks for music audio tagging", ISMIR 2019 LBD',
        'converted_with': 'training/music/musicnn/convert-musicnn.py', 'tensorflow': tf.__version__, 'librosa': librosa.__version__,
    }, 'frontend': {'sampleRate': 16000, 'nFft': 512, 'hop': 256, 'mels': N_MELS, 'patchFrames': 187, 'compression': 'log10(1 + 10000 * float16(mel))'},
        'models': {}}
    sessions = {}
    for key, name in MODELS.items():
        weights = read_checkpoint(tf, pkg_dir, name)
        model = build_onnx(weights, key)
        path = os.path.join(OUT_DIR, f'{key}.onnx')
        onnx.save(model, path)
        data = open(path, 'rb').read()
        labels = mx.config.MTT_LABELS if key == 'mtt' else mx.config.MSD_LABELS
        trained_on = 'MagnaTagATune (about 26 k 29-s clips, 50 most frequent tags)' if key == 'mtt' else 'Million Song Dataset previews (Last.fm tags, 50 most frequent)'
        manifest['models'][key] = {'checkpoint': name, 'onnx': f'{key}.onnx', 'sha256': hashlib.sha256(data).hexdigest(), 'bytes': len(data),
                                   'parameters': int(sum(v.size for v in weights.values())), 'trainedOn': trained_on, 'tags': list(labels)}
        sessions[key] = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
        print(f'{name}: {len(data)} bytes, {manifest["models"][key]["parameters"]} parameters')

    shutil.copyfile(os.path.join(os.path.dirname(pkg_dir), f'musicnn-{version}.dist-info', 'LICENSE.md'), os.path.join(OUT_DIR, 'LICENSE-musicnn.md'))

    # Parity with the package's own extractor, on the patches it feeds its network.
    clips = parity_clips(args.clips)
    worst = {}
    t0 = time.time()
    for f in clips:
        batch, _ = mx.batch_data(f, 187, 187)
        for key, name in MODELS.items():
            taggram, _tags, feats = mx.extractor(f, model=name, input_length=3, extract_features=True)
            got = dict(zip(['taggram', 'penultimate', 'mean_pool', 'max_pool'], sessions[key].run(None, {'mel': batch.astype(np.float32)})))
            # extractor() fills the penultimate layer and the mid-end maps of patches 2..n with patch 1's
            # (its loop unpacks them into other names), so those are compared on each clip's first patch;
            # the taggram and the pools it does return per patch.
            want = {'taggram': (taggram, got['taggram']), 'penultimate': (feats['penultimate'][:1], got['penultimate'][:1]),
                    'mean_pool': (feats['mean_pool'], got['mean_pool']), 'max_pool': (feats['max_pool'], got['max_pool'])}
            for out, (ref, mine) in want.items():
                ref = np.asarray(ref, dtype=np.float64)
                # Pools reach tens: float32 sums in another order differ in the 7th digit, so relative there.
                d = float(np.max(np.abs(ref - mine) / np.maximum(1.0, np.abs(ref))))
                worst[(key, out)] = max(worst.get((key, out), 0.0), d)
    print(f'parity on {len(clips)} clips ({time.time() - t0:.0f} s):')
    ok = True
    for (key, out), d in sorted(worst.items()):
        # The issue's bar is 1e-4 on the taggram and the penultimate layer; a max over 187 frames of
        # large front-end activations moves more with summation order, so the pools get 1e-3.
        tol = 1e-4 if out in ('taggram', 'penultimate') else 1e-3
        print(f'  {key} {out}: max |Δ| / max(1, |ref|) = {d:.2e} (bar {tol:g})' + ('' if d <= tol else '  FAILS'))
        ok &= d <= tol
    manifest['parity'] = {'clips': [os.path.relpath(c, DATA) for c in clips], 'maxAbsDiff': {f'{k}.{o}': d for (k, o), d in sorted(worst.items())},
                          'against': f'musicnn {version} extractor() on TensorFlow {tf.__version__}'}
    if not ok:
        sys.exit('ONNX graphs disagree with the package beyond the bar')

    # Reference values for the TypeScript front end and ONNX Runtime in Node.
    sig = frontend_signal(16000 * 4)
    rep = log_mel(librosa, sig)
    patch = rep[:187][None].astype(np.float32)
    fixture = {'about': 'written by training/music/musicnn/convert-musicnn.py; frontend_signal() there and in musicnn.test.ts',
               'samples': int(sig.size), 'frames': int(rep.shape[0]), 'bands': N_MELS,
               'logMel': [[round(float(v), 6) for v in row] for row in rep],
               'outputs': {k: {o: [round(float(v), 7) for v in arr[0]] for o, arr in zip(['taggram', 'penultimate'], s.run(['taggram', 'penultimate'], {'mel': patch}))} for k, s in sessions.items()}}
    os.makedirs(os.path.dirname(FIXTURE), exist_ok=True)
    json.dump(fixture, open(FIXTURE, 'w'), separators=(',', ':'))
    json.dump(manifest, open(os.path.join(OUT_DIR, 'manifest.json'), 'w'), indent=2)
    print(f'wrote {OUT_DIR} and {FIXTURE}')


if __name__ == '__main__':
    main()
