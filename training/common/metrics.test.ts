import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classificationReport } from './metrics.ts';

test('classification report matches scikit-learn on a small example', () => {
  // Worked by hand with scikit-learn's definitions (zero_division=0, support-weighted avg).
  const r = classificationReport(['a', 'b', 'c'], [0, 0, 1, 1, 2, 2, 2], [0, 1, 1, 1, 2, 0, 2]);
  assert.deepEqual(r.confusion, [[1, 1, 0], [0, 2, 0], [1, 0, 2]]);
  assert.equal(r.accuracy, 0.7143);
  assert.deepEqual(r.perClass.a, { precision: 0.5, recall: 0.5, 'f1-score': 0.5, support: 2 });
  assert.deepEqual(r.perClass.b, { precision: 0.6667, recall: 1, 'f1-score': 0.8, support: 2 });
  assert.deepEqual(r.perClass.c, { precision: 1, recall: 0.6667, 'f1-score': 0.8, support: 3 });
  assert.deepEqual(r['macro avg'], { precision: 0.7222, recall: 0.7222, 'f1-score': 0.7, support: 7 });
  assert.equal(r['weighted avg']['f1-score'], 0.7143);
});
