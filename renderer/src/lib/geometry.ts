import type { FaceBox } from '../../../shared/api.ts';

/** Where an image of `w`×`h` lands inside a `boxW`×`boxH` frame with object-fit: contain. */
export function containRect(w: number, h: number, boxW: number, boxH: number) {
  const scale = Math.min(boxW / w, boxH / h);
  const width = w * scale;
  const height = h * scale;
  return { scale, left: (boxW - width) / 2, top: (boxH - height) / 2, width, height };
}

/** A face box as CSS percentages of the image, so it scales with the element. */
export function boxStyle([x, y, bw, bh]: FaceBox, w: number, h: number): string {
  return `left:${(x / w) * 100}%;top:${(y / h) * 100}%;width:${(bw / w) * 100}%;height:${(bh / h) * 100}%`;
}
