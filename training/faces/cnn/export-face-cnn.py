"""
Exports the chosen face CNN(s) to one ONNX graph for the app (developer-only).

  /work/.venv-torch/bin/python training/faces/cnn/export-face-cnn.py --selection models/faces/cnn/selection.json \
      --runs .cache/face-cnn --out models/faces/onnx/face-cnn.onnx

The graph takes what the engine's classifier already feeds (face: N×48×48×1 grey, 0..255) and
gives 'expressions' (N×7) and 'classes' (N×4, the 4-class head), each averaged over the chosen
seeds and, where chosen, the mirror image — so the app runs one session once per face. The
4-class route (sum of the 7, the 4-class head, or their mean) and any head weight stay in
models/faces/cnn/cnn.json, read by electron/engine/classify/cnn-classifier.ts.

Parity: the exported graph on onnxruntime (Python) against PyTorch on 256 PrivateTest faces;
both outputs are written to training/faces/cnn/fixtures/face-cnn-parity.json (FER indices
and probabilities only, no pixels), which onnx-parity tests in Node read back.
"""
import argparse, hashlib, importlib.util, json, os
import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('train_face_cnn', os.path.join(HERE, 'train-face-cnn.py'))
tfc = importlib.util.module_from_spec(spec); spec.loader.exec_module(tfc)


class Averaged(nn.Module):
    def __init__(self, nets, flip):
        super().__init__()
        self.nets = nn.ModuleList(nets)
        self.flip = flip
        self.register_buffer('rev', torch.arange(tfc.SIDE - 1, -1, -1))

    def forward(self, face):
        x = face.permute(0, 3, 1, 2) / 255.0
        views = [x, torch.index_select(x, 3, self.rev)] if self.flip else [x]
        es, qs = [], []
        for net in self.nets:
            for v in views:
                e, q = net.logits(v)
                es.append(torch.softmax(e, 1)); qs.append(torch.softmax(q, 1))
        return torch.stack(es).mean(0), torch.stack(qs).mean(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--selection', required=True)
    ap.add_argument('--runs', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--fixture', default=os.path.join(HERE, 'fixtures/face-cnn-parity.json'))
    ap.add_argument('--fer', default=os.path.join(HERE, '../../../../shared/data/fer'))
    a = ap.parse_args()
    sel = json.load(open(a.selection))['chosen']
    nets = []
    for s in sel['seeds']:
        run = json.load(open(os.path.join(a.runs, s, 'run.json')))
        net = tfc.FaceCnn(tuple(run['widths']))
        net.load_state_dict(torch.load(os.path.join(a.runs, s, 'best.pt')))
        nets.append(net.eval())
    model = Averaged(nets, sel['views'] == 'orig+flip').eval()
    dummy = torch.zeros(2, 48, 48, 1)
    torch.onnx.export(model, (dummy,), a.out, input_names=['face'], output_names=['expressions', 'classes'],
                      dynamic_axes={'face': {0: 'n'}, 'expressions': {0: 'n'}, 'classes': {0: 'n'}}, opset_version=17, dynamo=False)
    import onnx, onnxruntime as ort
    onnx.checker.check_model(onnx.load(a.out))
    X, Y, S = tfc.load_fer(a.fer)
    idx = np.nonzero(S == 2)[0][::14][:256]
    x = X[idx].astype(np.float32)[..., None]
    with torch.no_grad():
        te, tq = model(torch.from_numpy(x))
    sess = ort.InferenceSession(a.out, providers=['CPUExecutionProvider'])
    oe, oq = sess.run(None, {'face': x})
    de, dq = float(np.abs(oe - te.numpy()).max()), float(np.abs(oq - tq.numpy()).max())
    print(f'parity torch vs onnxruntime on {len(idx)} PrivateTest faces: expressions {de:.2e}, classes {dq:.2e}')
    assert de < 1e-5 and dq < 1e-5
    sha = hashlib.sha256(open(a.out, 'rb').read()).hexdigest()
    os.makedirs(os.path.dirname(a.fixture), exist_ok=True)
    json.dump({'graphSha256': sha, 'ferIndices': idx.tolist(),
               'expressions': np.round(te.numpy(), 7).tolist(), 'classes': np.round(tq.numpy(), 7).tolist(),
               'torchVsOnnxruntime': {'expressions': de, 'classes': dq}}, open(a.fixture, 'w'))
    man_path = os.path.join(os.path.dirname(a.out), 'manifest.json')
    if os.path.exists(man_path):  # the face graphs' manifest (export-onnx.ts) gets this graph's entry too
        man = json.load(open(man_path))
        man['files'][os.path.basename(a.out)] = {'sha256': sha, 'from': {
            'training/faces/cnn/train-face-cnn.py': {s: hashlib.sha256(open(os.path.join(a.runs, s, 'best.pt'), 'rb').read()).hexdigest() for s in sel['seeds']},
            'views': sel['views']}}
        json.dump(man, open(man_path, 'w'), indent=1)
        open(man_path, 'a').write('\n')
    # What the engine applies around the graph, from the same selection (the mirror view is inside the graph).
    cfg_path = os.path.join(os.path.dirname(os.path.abspath(a.selection)), 'cnn.json')
    json.dump({'format': 'portrait-songs-face-cnn/1', 'route': sel['route'], 'headWeight': sel['headWeight'],
               'cropMargin': 0, 'vaTemperature': sel['vaTemperature']}, open(cfg_path, 'w'), indent=1)
    open(cfg_path, 'a').write('\n')
    params = sum(p.numel() for p in model.parameters())
    print(json.dumps({'graph': a.out, 'sha256': sha, 'bytes': os.path.getsize(a.out), 'parameters': params}))


if __name__ == '__main__':
    main()
