import type { DecodedImage } from '@emb/datasets/node';

/** Bilinear resize of a decoded image to the model's `[height, width, channels]`, values in [0, 1]. */
export function resizeForModel(image: DecodedImage, shape: readonly [number, number, number]): Float32Array {
  const [height, width, channels] = shape;
  const out = new Float32Array(height * width * channels);
  const c = image.channels;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * (image.height / height) - 0.5, 0), image.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * (image.width / width) - 0.5, 0), image.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, image.width - 1);
      const wx = fx - x0;
      for (let k = 0; k < channels; k++) {
        const ch = Math.min(k, c - 1);
        const p = (yy: number, xx: number) => image.data[(yy * image.width + xx) * c + ch] as number;
        const v = (p(y0, x0) * (1 - wx) + p(y0, x1) * wx) * (1 - wy) + (p(y1, x0) * (1 - wx) + p(y1, x1) * wx) * wy;
        out[(y * width + x) * channels + k] = v / 255;
      }
    }
  }
  return out;
}
