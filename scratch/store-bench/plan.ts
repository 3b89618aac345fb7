import Database from "better-sqlite3";
import { migrate } from "../../src/store/sqlite/migrations.ts";
const db = new Database(":memory:");
migrate(db);
const qs = [
 `SELECT (SELECT COUNT(*) FROM requests AS a WHERE a.status = 'IN_QUEUE' AND a.priority_rank < r.priority_rank)
   + (SELECT COUNT(*) FROM requests AS a WHERE a.status = 'IN_QUEUE' AND a.priority_rank = r.priority_rank AND a.seq < r.seq) AS ahead
  FROM requests AS r WHERE r.id = ? AND r.status = 'IN_QUEUE'`,
];
for (const q of qs) console.log(db.prepare("EXPLAIN QUERY PLAN " + q).all("x").map((r: any) => r.detail));
