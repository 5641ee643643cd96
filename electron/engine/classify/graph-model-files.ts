/** Loads a tfjs graph model from local files (the `file://` handler exists only in tfjs-node). */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export async function loadGraphModelFromFiles(jsonPath: string): Promise<tf.GraphModel> {
  const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as {
    modelTopology: unknown;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
    userDefinedMetadata?: tf.io.ModelArtifacts['userDefinedMetadata'];
  };
  const dir = path.dirname(jsonPath);
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => fs.readFileSync(path.join(dir, p))));
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  return tf.loadGraphModel({
    load: async () => ({
      modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs,
      weightData,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy ?? null,
      userDefinedMetadata: json.userDefinedMetadata,
    }),
  });
}
