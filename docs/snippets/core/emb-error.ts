// Errors carry a stable code and quote the bad value.
import { isEmbError, registry } from '@emb/core';

try {
  registry.create('loss', 'no-such-loss');
} catch (error) {
  if (isEmbError(error)) console.log(`code: ${error.code}`);
}
