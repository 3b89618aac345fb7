const r = await fetch("http://127.0.0.1:8124/queue/fal-ai/kling-video/v3/turbo/pro/text-to-video", {method:"POST", headers:{"content-type":"application/json"}, body: JSON.stringify({prompt:"x".repeat(1100000)})}).catch(e => { console.log(e.cause); throw e; });
console.log(r.status, await r.text());
