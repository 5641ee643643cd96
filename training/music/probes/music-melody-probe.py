"""Melodic and texture cues for the song model: do they help (issue 11, "Q3 vs Q4")?

A measurement prototype, not the app's code. A crude predominant-melody tracker (harmonic summation of
spectral peaks on a 10-cent grid, 55-1760 Hz, Gaussian-smoothed; the strongest pitch per frame, voiced
above half the clip's 90th-percentile salience; contours of frames within 80 cents) gives 17 cues:
voicing, contour rate and lengths, pitch height/spread/range, glissando slope, within-contour deviation,
vibrato share (4-8 Hz modulation), intervals, leaps, direction, polyphony (salience peaks per frame) and
salience. It costs about 1-2.5 s of CPU per 30-s clip in numpy, more than the app's whole song analysis.

They are added to the app's 139 whole-window features and scored with the shipped recipe (KRR, RBF
gamma 0.5/d, ridge 0.3, sign-log1p of right-skewed inputs, z-scored, clipped to +-6) in artist-grouped
5-fold cross-validation over 3 seeds (a plain grouped CV, not the nested one of the model card).

    node --import tsx training/music/dump-music-windows.ts /tmp/music-windows
    python3 training/music/probes/music-melody-probe.py /tmp/music-windows      (Debian python3-numpy, python3-scipy)
"""
import json, os, sys
from multiprocessing import Pool
import numpy as np
from scipy.ndimage import gaussian_filter1d, maximum_filter1d

SR=22050; N=2048; H=256
fmin=55.0; nb=600  # 10-cent bins over 5 octaves
cents=np.arange(nb)*10.0; f0s=fmin*2**(cents/1200)
win=np.hanning(N)
freqs=np.fft.rfftfreq(N,1/SR)
def feats(x):
    n=1+(len(x)-N)//H
    if n<20: return np.zeros(17)
    idx=np.arange(N)[None,:]+H*np.arange(n)[:,None]
    S=np.abs(np.fft.rfft(x[idx]*win,axis=1))
    S=S/(S.max()+1e-12)
    # keep spectral peaks only, compress
    pk=(S[:,1:-1]>S[:,:-2])&(S[:,1:-1]>=S[:,2:]); P=np.zeros_like(S); P[:,1:-1]=np.where(pk,S[:,1:-1],0)
    P=P**0.5  # dynamic range compression
    # harmonic summation: bin index for h*f0
    sal=np.zeros((n,nb))
    for h in range(1,9):
        b=np.round(h*f0s/(SR/N)).astype(int); ok=b<P.shape[1]-1
        # allow neighbour bins (frequency resolution ~10.8 Hz)
        v=np.maximum(P[:,np.clip(b,0,P.shape[1]-1)],np.maximum(P[:,np.clip(b-1,0,P.shape[1]-1)],P[:,np.clip(b+1,0,P.shape[1]-1)]))
        sal[:,ok]+=(0.8**(h-1))*v[:,ok]
    sal=gaussian_filter1d(sal,2.0,axis=1)
    best=sal.argmax(1); smax=sal.max(1)
    thr=0.5*np.percentile(smax,90)
    voiced=smax>thr
    pc=cents[best].astype(float)
    # polyphony proxy: salience local maxima above 0.5*frame max, separated by > 100 cents
    mf=maximum_filter1d(sal,11,axis=1); lm=(sal==mf)&(sal>0.5*smax[:,None])
    poly=lm.sum(1)[voiced] if voiced.any() else np.array([0])
    # contours
    contours=[]; cur=[]
    for i in range(n):
        if voiced[i] and cur and abs(pc[i]-pc[cur[-1]])<=80: cur.append(i)
        else:
            if len(cur)*H/SR>=0.1: contours.append(cur)
            cur=[i] if voiced[i] else []
    if len(cur)*H/SR>=0.1: contours.append(cur)
    dur=len(x)/SR
    vp=pc[voiced] if voiced.any() else np.array([0.0])
    if not contours:
        return np.array([voiced.mean(),0,0,vp.mean(),vp.std(),0,0,0,0,0,0,0,0,poly.mean(),poly.std(),smax.mean(),0])
    cd=np.array([len(c)*H/SR for c in contours]); cm=np.array([pc[c].mean() for c in contours])
    slopes=[];devs=[];vib=0;nv=0
    for c in contours:
        t=np.arange(len(c))*H/SR; p=pc[c]
        if len(c)>=3:
            a=np.polyfit(t,p,1); slopes.append(abs(a[0])); r=p-np.polyval(a,t); devs.append(r.std())
            if t[-1]>=0.25:
                nv+=1; R=np.abs(np.fft.rfft(r*np.hanning(len(r)),n=512)); fr=np.fft.rfftfreq(512,H/SR)
                band=(fr>=4)&(fr<=8); 
                if R[band].max()>2*np.median(R[1:])+1e-9 and r.std()>15: vib+=1
    iv=np.diff(cm) if len(cm)>1 else np.array([0.0])
    allc=np.concatenate([pc[c] for c in contours])
    return np.array([voiced.mean(), len(contours)/dur, cd.mean(), allc.mean(), allc.std(),
        np.percentile(allc,95)-np.percentile(allc,5), np.mean(slopes) if slopes else 0, np.mean(devs) if devs else 0,
        vib/max(1,nv), np.abs(iv).mean(), (np.abs(iv)>300).mean(), (iv>0).mean(), cd.std(), poly.mean(), poly.std(), smax.mean(), cd.max()])
NAMES=['voiced_ratio','contours_per_s','contour_dur_mean','mel_pitch_mean','mel_pitch_std','mel_pitch_range','gliss_slope','contour_dev','vibrato_share','interval_mean','leap_share','ascend_share','contour_dur_std','polyphony_mean','polyphony_std','salience_mean','contour_dur_max']


def clip_features(args):
    d, i = args
    return feats(np.fromfile(os.path.join(d, f'{i}.f32'), dtype=np.float32).astype(np.float64))


def prep(train):
    m = train.mean(0); sd = train.std(0) + 1e-12
    log = (train.min(0) >= 0) & ((((train - m) / sd) ** 3).mean(0) > 1)
    t = lambda X: np.where(log, np.sign(X) * np.log1p(np.abs(X)), X)
    T = t(train); mu = T.mean(0); s = T.std(0); s[s == 0] = 1
    return lambda X: np.clip((t(X) - mu) / s, -6, 6)


def krr_predict(Ztr, ytr, Zte, lam=0.3, gs=0.5):
    g = gs / Ztr.shape[1]
    sq = lambda A, B: ((A[:, None, :] - B[None, :, :]) ** 2).sum(-1)
    a = np.linalg.solve(np.exp(-g * sq(Ztr, Ztr)) + lam * np.eye(len(Ztr)), np.where(ytr[:, None] == np.arange(4)[None, :], 1.0, -1 / 3))
    return (np.exp(-g * sq(Zte, Ztr)) @ a).argmax(1)


def group_folds(groups, k, seed):
    rng = np.random.default_rng(seed)
    ug = list(dict.fromkeys(groups)); rng.shuffle(ug)
    size = {u: groups.count(u) for u in ug}
    load = [0] * k; fold = {}
    for u in sorted(ug, key=lambda u: -size[u]):
        f = int(np.argmin(load)); fold[u] = f; load[f] += size[u]
    return np.array([fold[u] for u in groups])


def f1s(y, p):
    return [2 * ((p == c) & (y == c)).sum() / max(1, 2 * ((p == c) & (y == c)).sum() + ((p == c) & (y != c)).sum() + ((p != c) & (y == c)).sum()) for c in range(4)]


def auc(x, pos):
    a, b = x[pos], x[~pos]
    return (a[:, None] > b[None, :]).mean() + 0.5 * (a[:, None] == b[None, :]).mean()


if __name__ == '__main__':
    d = sys.argv[1] if len(sys.argv) > 1 else '/tmp/music-windows'
    meta = json.load(open(os.path.join(d, 'features.json')))
    X = np.array(meta['X']); y = np.array(meta['y']); groups = meta['groups']
    cache = os.path.join(d, 'melody.npy')
    if os.path.exists(cache):
        M = np.load(cache)
    else:
        with Pool(2) as pool:
            M = np.array(pool.map(clip_features, [(d, i) for i in range(len(y))], chunksize=8))
        np.save(cache, M)
    for name, F in [('app features (139)', X), ('app features + melodic cues (156)', np.hstack([X, M])), ('melodic cues alone (17)', M)]:
        macro = []; per = []
        for seed in (1, 2, 3):
            folds = group_folds(groups, 5, seed); pred = np.zeros(len(y), int)
            for k in range(5):
                tr = folds != k; p = prep(F[tr]); pred[~tr] = krr_predict(p(F[tr]), y[tr], p(F[~tr]))
            per.append(f1s(y, pred)); macro.append(np.mean(per[-1]))
        print(f'{name}: macro-F1 {100 * np.mean(macro):.1f} +- {100 * np.std(macro):.1f} %; Q1..Q4 F1 ' + ' / '.join(f'{100 * v:.1f}' for v in np.mean(per, 0)))
    low = y >= 2
    print('cue: AUC Q4 over Q3 (among Q3+Q4) | AUC high over low arousal')
    for i, n in enumerate(NAMES):
        print(f'  {n:18s} {auc(M[low, i], y[low] == 3):.2f} | {auc(M[:, i], y < 2):.2f}')
