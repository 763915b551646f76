// @20minutes/s3rver ships no types; only what the S3 artifact-store tests use.
declare module '@20minutes/s3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    /** 0 picks a free port; run() resolves with the one chosen. */
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    /** Off by default: requests whose signature does not verify get 403 SignatureDoesNotMatch. */
    allowMismatchedSignatures?: boolean;
    vhostBuckets?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
