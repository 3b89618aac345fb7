/** What the previz engine is, in one line: said wherever it is named (logs, sheets, docs). */
export const PREVIZ_DESCRIPTION =
  "Procedural previsualisation renderer (Skia on the CPU, driven by prompt keywords) — not a neural model";
