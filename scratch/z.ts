import { VideoInputSchema } from "../src/contract/input.ts";
import { z } from "zod";
for (const b of [{}, {prompt:null, multi_prompt:null, duration:5}, {duration:"5s", aspect_ratio:"1:1"}, {multi_prompt:[{prompt:"a"},{prompt:"b", duration: null}]}, {multi_prompt:[]}, {multi_prompt:[{prompt:"a",duration:"9"},{prompt:"b",duration:"7"}]}, {prompt:"x", multi_prompt:[{}]}, {aspect_ratio:"4:3", duration:"2"}, {prompt:"x".repeat(3073)}, [], "s"]) {
  const r = VideoInputSchema.safeParse(b, {reportInput: true});
  console.log(JSON.stringify(b).slice(0,60), r.success ? JSON.stringify(r.data) : JSON.stringify(r.error.issues).slice(0,600));
}
console.log(JSON.stringify(z.toJSONSchema(VideoInputSchema, {io: "input", unrepresentable: "any"}), null, 1).slice(0, 3000));
