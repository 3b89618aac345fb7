import type { Setting, TimeOfDay } from "../scene-plan.ts";

/**
 * The raw colours palette.ts starts from: the light of each hour and the materials of each
 * setting under white daylight. Tables only; every grading decision lives in palette.ts.
 */

export interface TimeLook {
  skyTop: string;
  skyHorizon: string;
  sun: { kind: "sun" | "moon"; color: string; glow: string; y: number; radius: number };
  stars: number;
  /** How much light falls on the scenery. */
  level: number;
  /** Colour cast of that light, and how much. */
  cast: [string, number];
  glow: number;
}

export const TIME_LOOKS: Record<TimeOfDay, TimeLook> = {
  dawn: {
    skyTop: "#2e3d6e",
    skyHorizon: "#f6a98a",
    sun: { kind: "sun", color: "#ffe4c0", glow: "#ff9c7c", y: 0.6, radius: 0.05 },
    stars: 0.15,
    level: 0.66,
    cast: ["#ff9f8a", 0.2],
    glow: 0.35,
  },
  morning: {
    skyTop: "#4f86c9",
    skyHorizon: "#d9e8ef",
    sun: { kind: "sun", color: "#fff6dc", glow: "#ffe6b0", y: 0.34, radius: 0.045 },
    stars: 0,
    level: 0.9,
    cast: ["#ffe9c8", 0.1],
    glow: 0.05,
  },
  noon: {
    skyTop: "#2f72c8",
    skyHorizon: "#b9dcf3",
    sun: { kind: "sun", color: "#fffdf0", glow: "#fff3c8", y: 0.12, radius: 0.04 },
    stars: 0,
    level: 1,
    cast: ["#fffaf0", 0.04],
    glow: 0,
  },
  afternoon: {
    skyTop: "#3b78c0",
    skyHorizon: "#cfe3ee",
    sun: { kind: "sun", color: "#fff3d6", glow: "#ffe2a8", y: 0.26, radius: 0.045 },
    stars: 0,
    level: 0.94,
    cast: ["#ffe7bf", 0.1],
    glow: 0.05,
  },
  sunset: {
    skyTop: "#2b1f52",
    skyHorizon: "#ff8a3d",
    sun: { kind: "sun", color: "#ffc46e", glow: "#ff6424", y: 0.56, radius: 0.06 },
    stars: 0.05,
    level: 0.58,
    cast: ["#ff8a4a", 0.28],
    glow: 0.55,
  },
  dusk: {
    skyTop: "#141a3c",
    skyHorizon: "#7a5a86",
    sun: { kind: "moon", color: "#f2eadb", glow: "#8a7fb0", y: 0.24, radius: 0.03 },
    stars: 0.45,
    level: 0.36,
    cast: ["#6a6aa8", 0.3],
    glow: 0.8,
  },
  night: {
    skyTop: "#02030a",
    skyHorizon: "#141f3a",
    sun: { kind: "moon", color: "#e8ecf5", glow: "#56699a", y: 0.17, radius: 0.035 },
    stars: 1,
    level: 0.2,
    cast: ["#40609e", 0.32],
    glow: 1,
  },
};

/** Scenery materials under white daylight: far, mid, near, ground, water, light accent. */
export const MATERIALS: Record<Setting, [string, string, string, string, string, string]> = {
  "city street": ["#7c8898", "#556070", "#30353d", "#3c3f45", "#4a5a6a", "#ffcf7a"],
  "neon city": ["#3a3f5e", "#2a2d44", "#1c1e2c", "#22242f", "#2a3350", "#ff3bd4"],
  forest: ["#6f907c", "#2f5a3a", "#1d3522", "#2f4b25", "#3f6a6a", "#ffd98a"],
  ocean: ["#5d86a6", "#2f6f9a", "#d8c08e", "#e2cc9a", "#2e7aa8", "#fff1c8"],
  desert: ["#d8aa74", "#c98d4f", "#b5773d", "#c98c4c", "#6a90a8", "#ffe0a0"],
  mountains: ["#8a9cb8", "#4f6f64", "#3d4a3a", "#56624a", "#4a7a9a", "#ffe6b0"],
  snowfield: ["#b6c6dc", "#d9e2ee", "#eef3f8", "#f2f6fb", "#8fb0cc", "#ffe8c0"],
  space: ["#3b2d6b", "#9a7a62", "#7d7a74", "#5e5b56", "#30306a", "#bcd4ff"],
  underwater: ["#2a7d9a", "#1f6a7a", "#1c5560", "#c9b98a", "#1b6f95", "#bff6ff"],
  stage: ["#3a2a3e", "#6a1a28", "#4a3426", "#2a1d16", "#3a2a3e", "#ffd27a"],
  interior: ["#c2b198", "#6b5444", "#8a6a4f", "#7a5c44", "#6a7f8a", "#ffc870"],
  countryside: ["#89a897", "#649050", "#467233", "#4e7d35", "#4f86a6", "#ffe6a0"],
  lake: ["#7d9aac", "#42684e", "#2f4f34", "#41603a", "#3f7fa6", "#ffe6b0"],
  sky: ["#d6e4f2", "#b9cde4", "#9bb4d2", "#8aa6c8", "#6f96c0", "#fff3d6"],
};
