import { InMemorySignatureStore } from './replay-guard';

const answer = { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"ok":true}').toString('base64') };

describe('the signature store (signature as idempotency key)', () => {
  it('lets the first request through, tells a repeat that the first is in flight, then gives it the recorded answer', async () => {
    const store = new InMemorySignatureStore();
    await expect(store.claim('AK:sig', 'digest-a', 1800)).resolves.toEqual({ outcome: 'first' });
    await expect(store.claim('AK:sig', 'digest-a', 1800)).resolves.toEqual({ outcome: 'repeat' });
    await store.complete('AK:sig', 'digest-a', answer);
    await expect(store.claim('AK:sig', 'digest-a', 1800)).resolves.toEqual({ outcome: 'repeat', answer });
  });

  it('refuses the same signature with another body digest, before and after the first answered', async () => {
    const store = new InMemorySignatureStore();
    await store.claim('AK:sig', 'digest-a', 1800);
    await expect(store.claim('AK:sig', 'digest-b', 1800)).resolves.toEqual({ outcome: 'conflict' });
    await store.complete('AK:sig', 'digest-a', answer);
    await expect(store.claim('AK:sig', 'digest-b', 1800)).resolves.toEqual({ outcome: 'conflict' });
  });

  it('says when the first left no answer to replay, and frees a released claim', async () => {
    const store = new InMemorySignatureStore();
    await store.claim('AK:unknown', 'd', 1800);
    await store.complete('AK:unknown', 'd', 'outcome-unknown');
    await expect(store.claim('AK:unknown', 'd', 1800)).resolves.toEqual({ outcome: 'repeat', unreplayable: 'outcome-unknown' });
    await store.claim('AK:refused', 'd', 1800);
    await store.release('AK:refused');
    await expect(store.claim('AK:refused', 'd', 1800)).resolves.toEqual({ outcome: 'first' });
  });

  it('forgets a signature once its window is over', async () => {
    let now = 0;
    const store = new InMemorySignatureStore(() => now);
    await store.claim('AK:sig', 'd', 1800);
    now = 1_800_001;
    await expect(store.claim('AK:sig', 'd', 1800)).resolves.toEqual({ outcome: 'first' });
  });
});
