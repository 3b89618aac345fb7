import { createCanvas } from "@napi-rs/canvas";
import { startEncoder, defaultMediaTools, probeVideo, isFastStart } from "../src/media/index.ts";
const { ffmpegPath, ffprobePath } = defaultMediaTools();
const W = 1920, H = 1080;
const c = createCanvas(W, H);
const ctx = c.getContext("2d");
function draw(i:number){ const g = ctx.createLinearGradient(0,0,0,H); g.addColorStop(0,"#123"); g.addColorStop(1,"#fa0"); ctx.fillStyle=g; ctx.fillRect(0,0,W,H);
 for (let k=0;k<10;k++){ctx.beginPath(); ctx.moveTo(0,800); for(let x=0;x<=W;x+=40) ctx.lineTo(x, 700+Math.sin(x/100+k+i/10)*50); ctx.lineTo(W,H); ctx.lineTo(0,H); ctx.fillStyle="rgba(10,20,30,0.5)"; ctx.fill();}}
const preset = process.argv[2] ?? "veryfast";
const t = performance.now();
let drawMs = 0, waitMs = 0;
const enc = startEncoder({ ffmpegPath, width: W, height: H, fps: 24, outputPath: "/tmp/pv/out.mp4", preset });
for (let i=0;i<120;i++){ const a = performance.now(); draw(i); const buf = c.data(); const b = performance.now(); await enc.writeFrame(buf); waitMs += performance.now()-b; drawMs += b-a; }
const r = await enc.finish();
console.log(preset, "total", (performance.now()-t).toFixed(0), "draw", drawMs.toFixed(0), "wait", waitMs.toFixed(0), r);
console.log(await probeVideo(ffprobePath, r.path), await isFastStart(r.path));
