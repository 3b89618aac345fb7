import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
const db = new Database(":memory:");
db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, v TEXT)");
const ins = db.prepare("INSERT INTO t VALUES (?, ?)");
const tx = db.transaction((n: number) => { for (let i = 0; i < n; i++) ins.run(randomUUID(), "x"); });
let t = performance.now(); tx(40000); console.log("memory plain insert µs", ((performance.now() - t) * 1000 / 40000).toFixed(2));
t = performance.now(); for (let i = 0; i < 40000; i++) randomUUID(); console.log("uuid µs", ((performance.now() - t) * 1000 / 40000).toFixed(2));
t = performance.now(); let x = 0; for (let i = 0; i < 1e7; i++) x += i % 7; console.log("loop ns/iter", ((performance.now() - t) * 1e6 / 1e7).toFixed(2), x > 0);
