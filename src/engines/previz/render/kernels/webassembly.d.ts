/**
 * The part of the WebAssembly JavaScript API the kernels use. Node has all of it, but its types
 * (@types/node 20) leave it to lib.dom, which a server has no business including.
 */
declare namespace WebAssembly {
  interface MemoryDescriptor {
    /** In pages of 64 KiB. */
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    /** A SharedArrayBuffer for a shared memory (a new one after it grew). */
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
    /** Grows by `pages`; returns the size before, in pages. */
    grow(pages: number): number;
  }
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
}
