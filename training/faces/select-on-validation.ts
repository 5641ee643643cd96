/**
 * One tfjs callback for what Keras splits over ModelCheckpoint(save_best_only),
 * EarlyStopping and ReduceLROnPlateau, none of which tfjs has with best-weight restore:
 * it scores the model on the validation set after each epoch, keeps a copy of the best
 * weights, lowers the learning rate after `lrPatience` epochs without improvement and stops
 * after `stopPatience`.
 */
import * as tf from '@tensorflow/tfjs';

export interface SelectOptions {
  /** Higher is better. */
  score: (model: tf.LayersModel) => number;
  stopPatience: number;
  lrPatience: number;
  lrFactor: number;
  minLr: number;
  log?: (msg: string) => void;
}

export class SelectOnValidation extends tf.Callback {
  bestScore = -Infinity;
  bestEpoch = -1;
  readonly scores: number[] = [];
  private best: tf.Tensor[] | null = null;
  private sinceBest = 0;
  private sinceLr = 0;

  constructor(private readonly opts: SelectOptions) {
    super();
  }

  private get optimizer(): tf.Optimizer & { learningRate: number } {
    return this.model.optimizer as tf.Optimizer & { learningRate: number };
  }

  override async onEpochEnd(epoch: number, logs?: tf.Logs): Promise<void> {
    const score = this.opts.score(this.model);
    this.scores.push(score);
    const lr = this.optimizer.learningRate;
    // fitDataset may hand over the loss as a still-unresolved scalar tensor.
    const raw = logs?.loss as unknown;
    const loss = typeof raw === 'number' ? raw : raw instanceof tf.Tensor ? (raw.dataSync()[0] ?? NaN) : NaN;
    this.opts.log?.(`epoch ${epoch + 1}: loss ${loss.toFixed(4)} val ${score.toFixed(4)} lr ${lr.toExponential(1)}`);
    if (score > this.bestScore) {
      this.bestScore = score;
      this.bestEpoch = epoch;
      if (this.best) tf.dispose(this.best);
      this.best = this.model.getWeights().map((w) => w.clone());
      this.sinceBest = 0;
      this.sinceLr = 0;
      return;
    }
    this.sinceBest++;
    this.sinceLr++;
    if (this.sinceBest >= this.opts.stopPatience) {
      this.model.stopTraining = true;
      return;
    }
    if (this.sinceLr >= this.opts.lrPatience && lr > this.opts.minLr) {
      this.optimizer.learningRate = Math.max(this.opts.minLr, lr * this.opts.lrFactor);
      this.sinceLr = 0;
    }
  }

  /** Puts the best epoch's weights back into the model. */
  restoreBest(): void {
    if (!this.best) return;
    this.model.setWeights(this.best);
    tf.dispose(this.best);
    this.best = null;
  }
}
