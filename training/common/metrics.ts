/** Classification reports in the shape of scikit-learn's `classification_report(output_dict=True)`. */

export interface ClassScores {
  precision: number;
  recall: number;
  'f1-score': number;
  support: number;
}

export interface ClassificationReport {
  labels: string[];
  perClass: Record<string, ClassScores>;
  accuracy: number;
  'macro avg': ClassScores;
  'weighted avg': ClassScores;
  /** confusion[true][predicted], rows and columns in `labels` order. */
  confusion: number[][];
}

const round4 = (x: number): number => Math.round(x * 10000) / 10000;

export function classificationReport(labels: readonly string[], truth: number[], predicted: number[]): ClassificationReport {
  if (truth.length !== predicted.length) throw new Error('truth and predictions differ in length');
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < truth.length; i++) confusion[truth[i]!]![predicted[i]!]!++;
  const perClass: Record<string, ClassScores> = {};
  let correct = 0;
  const macro = { precision: 0, recall: 0, f1: 0 };
  const weighted = { precision: 0, recall: 0, f1: 0 };
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    correct += tp;
    const support = confusion[c]!.reduce((a, b) => a + b, 0);
    const predictedCount = confusion.reduce((a, row) => a + row[c]!, 0);
    // sklearn's zero_division default reports 0 for an undefined ratio.
    const precision = predictedCount ? tp / predictedCount : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[labels[c]!] = { precision: round4(precision), recall: round4(recall), 'f1-score': round4(f1), support };
    macro.precision += precision / k;
    macro.recall += recall / k;
    macro.f1 += f1 / k;
    const w = truth.length ? support / truth.length : 0;
    weighted.precision += precision * w;
    weighted.recall += recall * w;
    weighted.f1 += f1 * w;
  }
  const n = truth.length;
  return {
    labels: [...labels],
    perClass,
    accuracy: round4(n ? correct / n : 0),
    'macro avg': { precision: round4(macro.precision), recall: round4(macro.recall), 'f1-score': round4(macro.f1), support: n },
    'weighted avg': { precision: round4(weighted.precision), recall: round4(weighted.recall), 'f1-score': round4(weighted.f1), support: n },
    confusion,
  };
}

export function argmaxIndex(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}
