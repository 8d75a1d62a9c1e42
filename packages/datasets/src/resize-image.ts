import type { DecodedImage } from './decode-image.js';

/**
 * Bilinear resize to `width x height` (pixel centres aligned, as tf.image.resizeBilinear
 * with `halfPixelCenters`), returning floats in [0, 1].
 *
 * @internal
 */
export function resizeToFloat(image: DecodedImage, width: number, height: number): Float32Array {
  const { channels: c, data } = image;
  const out = new Float32Array(width * height * c);
  if (image.width === width && image.height === height) {
    for (let i = 0; i < out.length; i++) out[i] = (data[i] as number) / 255;
    return out;
  }
  const sx = image.width / width;
  const sy = image.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), image.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), image.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, image.width - 1);
      const wx = fx - x0;
      for (let k = 0; k < c; k++) {
        const p = (yy: number, xx: number) => data[(yy * image.width + xx) * c + k] as number;
        const top = p(y0, x0) * (1 - wx) + p(y0, x1) * wx;
        const bottom = p(y1, x0) * (1 - wx) + p(y1, x1) * wx;
        out[(y * width + x) * c + k] = (top * (1 - wy) + bottom * wy) / 255;
      }
    }
  }
  return out;
}
