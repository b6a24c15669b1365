package ai.continuum.server.storage;

/**
 * An op's canonical bytes ({@link OpCodec#encode}) and their SHA-256 ({@link ContinuityChain#digest}), what its
 * change-log row stores and its chain link hashes. Computed on the thread that submits the op: neither depends on the
 * op's place in the chain, and the storage writer, which every commit passes through one at a time, then only links
 * the digest to the chain's head.
 */
@SuppressWarnings("ArrayRecordComponent") // written as they are, never compared
record EncodedOp(byte[] payload, byte[] digest) {
    static EncodedOp of(final StorageOp op) {
        final byte[] payload = OpCodec.encode(op);
        return new EncodedOp(payload, ContinuityChain.digest(payload));
    }
}
