import { open } from "node:fs/promises";

/** One top-level ISO-BMFF box (atom) of an MP4: its four-letter type, where it starts and its size. */
export interface Mp4Box {
  type: string;
  offset: number;
  size: number;
}

/**
 * Lists the top-level boxes of an MP4 in file order by reading only their 8–16 byte headers.
 * @example (await readTopLevelBoxes("a.mp4")).map((box) => box.type) // ["ftyp", "moov", "mdat"]
 */
export async function readTopLevelBoxes(path: string): Promise<Mp4Box[]> {
  const file = await open(path, "r");
  try {
    const { size: fileSize } = await file.stat();
    const header = Buffer.alloc(16);
    const boxes: Mp4Box[] = [];
    let offset = 0;
    while (offset + 8 <= fileSize) {
      await file.read(header, 0, 16, offset);
      const type = header.toString("latin1", 4, 8);
      let size = header.readUInt32BE(0);
      // size 1: a 64-bit size follows the type; size 0: the box runs to the end of the file.
      if (size === 1) size = Number(header.readBigUInt64BE(8));
      else if (size === 0) size = fileSize - offset;
      if (size < 8) throw new Error(`Malformed MP4 box "${type}" at byte ${offset} of ${path}`);
      boxes.push({ type, offset, size });
      offset += size;
    }
    return boxes;
  } finally {
    await file.close();
  }
}

/**
 * True when the `moov` index comes before the media data (`+faststart`), so a player can start
 * before the whole file has arrived.
 */
export async function isFastStart(path: string): Promise<boolean> {
  const types = (await readTopLevelBoxes(path)).map((box) => box.type);
  const moov = types.indexOf("moov");
  const mdat = types.indexOf("mdat");
  return moov !== -1 && mdat !== -1 && moov < mdat;
}
