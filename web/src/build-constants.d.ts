/** Limits JSON Schema cannot express, taken from the contract module at build time (vite.config.ts). */
declare const __CONTRACT_LIMITS__: { promptAdvisedChars: number; maxStoryboardSeconds: number };
