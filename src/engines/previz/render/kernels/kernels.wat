;; The previz renderer's hottest pixel loops, in WebAssembly with 128-bit SIMD: four RGBA pixels
;; (little-endian words 0xAABBGGRR) at a time, each channel widened to 16 bits so that a blend
;; (c1 * w + c2 * (256 - w)) >> 8 is exact in one lane. Every function gives the same bytes as the
;; per-pixel formula in its comment (test/engines/previz-kernels.test.ts checks them against it).
;; Frames live in the imported memory: the frame ring shared with the main thread, so pixels are
;; drawn where ffmpeg's feed reads them. Addresses are byte offsets; widths and strides are pixels.
;;
;; kernels.wasm is this file assembled: `npm run kernels` after a change (a test compares them).
(module
  (import "env" "memory" (memory 1 65536 shared))
  ;; composite(src, w, h, dst, stride): blends a tightly packed w × h rectangle of unpremultiplied
  ;; RGBA (what getImageData gives) over the frame at dst, whose rows are stride pixels apart.
  ;; Per pixel of alpha a: a = 0 keeps the frame's pixel, a = 255 replaces it, else each channel
  ;; becomes (s * (a + 1) + d * (255 - a)) >> 8, opaque. Quads wholly transparent are skipped and
  ;; wholly opaque ones copied: a subject is mostly one or the other.
  (func (export "composite") (param $src i32) (param $w i32) (param $h i32) (param $dst i32) (param $stride i32)
    (local $y i32) (local $x i32) (local $s i32) (local $d i32) (local $v v128) (local $p v128)
    (local $lo v128) (local $hi v128) (local $k v128) (local $keep v128) (local $out v128)
    (local $a i32) (local $sp i32)
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $y) (local.get $h)))
        (local.set $s (i32.add (local.get $src) (i32.shl (i32.mul (local.get $y) (local.get $w)) (i32.const 2))))
        (local.set $d (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $y) (local.get $stride)) (i32.const 2))))
        (local.set $x (i32.const 0))
        (block $quads_done
          (loop $quads
            (br_if $quads_done (i32.gt_u (i32.add (local.get $x) (i32.const 4)) (local.get $w)))
            (local.set $v (v128.load (local.get $s)))
            (if (v128.any_true (local.get $v))
              (then
                (if (i32x4.all_true (i32x4.ge_u (local.get $v) (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000)))
                  (then (v128.store (local.get $d) (local.get $v)))
                  (else
                    (local.set $p (v128.load (local.get $d)))
                    ;; k = a + 1 in every channel lane, per pixel (16-bit lanes)
                    (local.set $k (i16x8.add
                      (i8x16.shuffle 3 16 3 16 3 16 3 16 7 16 7 16 7 16 7 16 (local.get $v) (v128.const i32x4 0 0 0 0))
                      (v128.const i16x8 1 1 1 1 1 1 1 1)))
                    (local.set $keep (i16x8.sub (v128.const i16x8 256 256 256 256 256 256 256 256) (local.get $k)))
                    (local.set $lo (i16x8.shr_u (i16x8.add
                      (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $v)) (local.get $k))
                      (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $p)) (local.get $keep))) (i32.const 8)))
                    (local.set $k (i16x8.add
                      (i8x16.shuffle 11 16 11 16 11 16 11 16 15 16 15 16 15 16 15 16 (local.get $v) (v128.const i32x4 0 0 0 0))
                      (v128.const i16x8 1 1 1 1 1 1 1 1)))
                    (local.set $keep (i16x8.sub (v128.const i16x8 256 256 256 256 256 256 256 256) (local.get $k)))
                    (local.set $hi (i16x8.shr_u (i16x8.add
                      (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $v)) (local.get $k))
                      (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $p)) (local.get $keep))) (i32.const 8)))
                    (local.set $out (v128.or (i8x16.narrow_i16x8_u (local.get $lo) (local.get $hi))
                      (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000)))
                    ;; transparent pixels leave the frame as it was
                    (v128.store (local.get $d) (v128.bitselect (local.get $p) (local.get $out)
                      (i32x4.lt_u (local.get $v) (v128.const i32x4 0x01000000 0x01000000 0x01000000 0x01000000))))))))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (local.set $x (i32.add (local.get $x) (i32.const 4)))
            (br $quads)))
        ;; the last pixels of the row, one by one
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $x) (local.get $w)))
            (local.set $sp (i32.load (local.get $s)))
            (local.set $a (i32.shr_u (local.get $sp) (i32.const 24)))
            (if (i32.eq (local.get $a) (i32.const 255))
              (then (i32.store (local.get $d) (local.get $sp)))
              (else (if (local.get $a) (then
                (call $blend1 (local.get $d) (local.get $sp) (i32.add (local.get $a) (i32.const 1)))))))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (local.set $d (i32.add (local.get $d) (i32.const 4)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $tail)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows))))
  ;; vignette(frame, width, stride, from, to, reach, keep, half, ink): darkens (or, with a
  ;; paper-white ink, whitens) the corners of rows from..to-1 of a width-pixel frame at frame,
  ;; whose rows are stride pixels apart. reach: u16 per row, how many pixels from each side; keep:
  ;; u16 per pixel of the left half (half pixels a row), how much of the pixel is kept (0-256), the
  ;; right half mirroring it. Each channel becomes (p * k + ink * (256 - k)) >> 8, opaque; ink is
  ;; 0x00BBGGRR.
  (func (export "vignette") (param $frame i32) (param $width i32) (param $stride i32) (param $from i32) (param $to i32)
    (param $reach i32) (param $keep i32) (param $half i32) (param $ink i32)
    (local $y i32) (local $n i32) (local $x i32) (local $row i32) (local $table i32)
    (local $inkv v128) (local $kv v128) (local $k v128) (local $l v128) (local $r v128) (local $pl i32) (local $pr i32)
    (local $kk i32)
    ;; ink as u16 lanes r g b 0 r g b 0
    (local.set $inkv (i16x8.extend_low_i8x16_u (i32x4.splat (i32.and (local.get $ink) (i32.const 0x00ffffff)))))
    (local.set $y (local.get $from))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $y) (local.get $to)))
      (local.set $n (i32.load16_u (i32.add (local.get $reach) (i32.shl (local.get $y) (i32.const 1)))))
      (local.set $row (i32.add (local.get $frame) (i32.shl (i32.mul (local.get $y) (local.get $stride)) (i32.const 2))))
      (local.set $table (i32.add (local.get $keep) (i32.shl (i32.mul (local.get $y) (local.get $half)) (i32.const 1))))
      (local.set $x (i32.const 0))
      (block $qdone (loop $quads
        (br_if $qdone (i32.gt_u (i32.add (local.get $x) (i32.const 4)) (local.get $n)))
        (local.set $kv (v128.load64_zero (i32.add (local.get $table) (i32.shl (local.get $x) (i32.const 1)))))
        (local.set $pl (i32.add (local.get $row) (i32.shl (local.get $x) (i32.const 2))))
        ;; right side: pixels width-4-x .. width-1-x, keeps k3 k2 k1 k0
        (local.set $pr (i32.add (local.get $row) (i32.shl (i32.sub (i32.sub (local.get $width) (i32.const 4)) (local.get $x)) (i32.const 2))))
        (local.set $l (v128.load (local.get $pl)))
        (local.set $r (v128.load (local.get $pr)))
        ;; left, low two pixels: k0 k0 k0 k0 k1 k1 k1 k1
        (local.set $k (i8x16.shuffle 0 1 0 1 0 1 0 1 2 3 2 3 2 3 2 3 (local.get $kv) (local.get $kv)))
        (v128.store (local.get $pl) (v128.or (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000)
          (i8x16.narrow_i16x8_u
            (i16x8.shr_u (i16x8.add (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $l)) (local.get $k))
              (i16x8.mul (local.get $inkv) (i16x8.sub (v128.const i16x8 256 256 256 256 256 256 256 256) (local.get $k)))) (i32.const 8))
            (i16x8.shr_u (i16x8.add (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $l))
                (local.tee $k (i8x16.shuffle 4 5 4 5 4 5 4 5 6 7 6 7 6 7 6 7 (local.get $kv) (local.get $kv))))
              (i16x8.mul (local.get $inkv) (i16x8.sub (v128.const i16x8 256 256 256 256 256 256 256 256) (local.get $k)))) (i32.const 8)))))
        ;; right, low two pixels take k3 k2, high two k1 k0
        (local.set $k (i8x16.shuffle 6 7 6 7 6 7 6 7 4 5 4 5 4 5 4 5 (local.get $kv) (local.get $kv)))
        (v128.store (local.get $pr) (v128.or (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000)
          (i8x16.narrow_i16x8_u
            (i16x8.shr_u (i16x8.add (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $r)) (local.get $k))
              (i16x8.mul (local.get $inkv) (i16x8.sub (v128.const i16x8 256 256 256 256 256 256 256 256) (local.get $k)))) (i32.const 8))
            (i16x8.shr_u (i16x8.add (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $r))
                (local.tee $k (i8x16.shuffle 2 3 2 3 2 3 2 3 0 1 0 1 0 1 0 1 (local.get $kv) (local.get $kv))))
              (i16x8.mul (local.get $inkv) (i16x8.sub (v128.const i16x8 256 256 256 256 256 256 256 256) (local.get $k)))) (i32.const 8)))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $quads)))
      (block $tdone (loop $tail
        (br_if $tdone (i32.ge_u (local.get $x) (local.get $n)))
        (local.set $kk (i32.load16_u (i32.add (local.get $table) (i32.shl (local.get $x) (i32.const 1)))))
        (call $blend1 (i32.add (local.get $row) (i32.shl (local.get $x) (i32.const 2))) (local.get $ink) (i32.sub (i32.const 256) (local.get $kk)))
        (call $blend1 (i32.add (local.get $row) (i32.shl (i32.sub (i32.sub (local.get $width) (i32.const 1)) (local.get $x)) (i32.const 2))) (local.get $ink) (i32.sub (i32.const 256) (local.get $kk)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $tail)))
      (local.set $y (i32.add (local.get $y) (i32.const 1)))
      (br $rows))))
  ;; One pixel at address a toward ink (0x00BBGGRR) by alpha (0-256): each channel becomes
  ;; (ink * alpha + p * (256 - alpha)) >> 8, opaque (pixels.ts blendWord).
  (func $blend1 (param $a i32) (param $ink i32) (param $alpha i32)
    (local $p i32) (local $keep i32)
    (local.set $p (i32.load (local.get $a)))
    (local.set $keep (i32.sub (i32.const 256) (local.get $alpha)))
    (i32.store (local.get $a) (i32.or (i32.const 0xff000000) (i32.or
      (i32.and (i32.shr_u (i32.add (i32.mul (i32.and (local.get $ink) (i32.const 0x00ff00ff)) (local.get $alpha))
        (i32.mul (i32.and (local.get $p) (i32.const 0x00ff00ff)) (local.get $keep))) (i32.const 8)) (i32.const 0x00ff00ff))
      (i32.and (i32.shr_u (i32.add (i32.mul (i32.and (local.get $ink) (i32.const 0x0000ff00)) (local.get $alpha))
        (i32.mul (i32.and (local.get $p) (i32.const 0x0000ff00)) (local.get $keep))) (i32.const 8)) (i32.const 0x0000ff00))))))

  ;; glowSpan(dst, mask, count, ink, alpha): a row of a soft glow: count pixels from dst, each
  ;; with its byte m of the glow's mask from address mask, blended toward ink by (m * alpha) >> 8
  ;; as $blend1 does; pixels whose m is 2 or less are left alone.
  (func (export "glowSpan") (param $dst i32) (param $mask i32) (param $count i32) (param $ink i32) (param $alpha i32)
    (local $end i32) (local $m v128) (local $a v128) (local $p v128) (local $inkv v128) (local $al v128)
    (local $lo v128) (local $hi v128) (local $mm i32)
    (local.set $inkv (i16x8.extend_low_i8x16_u (i32x4.splat (i32.and (local.get $ink) (i32.const 0x00ffffff)))))
    (local.set $al (i16x8.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $count) (i32.const 2))))
    (block $qdone (loop $quads
      (br_if $qdone (i32.gt_u (i32.add (local.get $dst) (i32.const 16)) (local.get $end)))
      (local.set $m (v128.load32_zero (local.get $mask)))
      (if (i32.gt_u (i32.load (local.get $mask)) (i32.const 0)) (then
        (local.set $p (v128.load (local.get $dst)))
        ;; a per pixel, in every channel lane: m m m m | m m m m, then (m * alpha) >> 8
        (local.set $a (i8x16.shuffle 0 16 0 16 0 16 0 16 1 16 1 16 1 16 1 16 (local.get $m) (v128.const i32x4 0 0 0 0)))
        (local.set $a (i16x8.shr_u (i16x8.mul (local.get $a) (local.get $al)) (i32.const 8)))
        (local.set $lo (i16x8.shr_u (i16x8.add (i16x8.mul (local.get $inkv) (local.get $a))
          (i16x8.mul (i16x8.extend_low_i8x16_u (local.get $p)) (i16x8.sub (v128.const i16x8 256 256 256 256 256 256 256 256) (local.get $a)))) (i32.const 8)))
        (local.set $a (i8x16.shuffle 2 16 2 16 2 16 2 16 3 16 3 16 3 16 3 16 (local.get $m) (v128.const i32x4 0 0 0 0)))
        (local.set $a (i16x8.shr_u (i16x8.mul (local.get $a) (local.get $al)) (i32.const 8)))
        (local.set $hi (i16x8.shr_u (i16x8.add (i16x8.mul (local.get $inkv) (local.get $a))
          (i16x8.mul (i16x8.extend_high_i8x16_u (local.get $p)) (i16x8.sub (v128.const i16x8 256 256 256 256 256 256 256 256) (local.get $a)))) (i32.const 8)))
        ;; blended pixels become opaque; the others keep their word whole
        (v128.store (local.get $dst) (v128.bitselect
          (v128.or (i8x16.narrow_i16x8_u (local.get $lo) (local.get $hi)) (v128.const i32x4 0xff000000 0xff000000 0xff000000 0xff000000))
          (local.get $p)
          (i32x4.gt_u (i32x4.extend_low_i16x8_u (i16x8.extend_low_i8x16_u (local.get $m))) (v128.const i32x4 2 2 2 2))))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (local.set $mask (i32.add (local.get $mask) (i32.const 4)))
      (br $quads)))
    (block $tdone (loop $tail
      (br_if $tdone (i32.ge_u (local.get $dst) (local.get $end)))
      (local.set $mm (i32.load8_u (local.get $mask)))
      (if (i32.gt_u (local.get $mm) (i32.const 2))
        (then (call $blend1 (local.get $dst) (local.get $ink) (i32.shr_u (i32.mul (local.get $mm) (local.get $alpha)) (i32.const 8)))))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (local.set $mask (i32.add (local.get $mask) (i32.const 1)))
      (br $tail))))

  ;; copyRows(src, srcStride, dst, dstStride, rowBytes, rows): copies rows of rowBytes bytes, the
  ;; source's rows srcStride bytes apart and the destination's dstStride (a memmove each).
  (func (export "copyRows") (param $src i32) (param $srcStride i32) (param $dst i32) (param $dstStride i32)
    (param $rowBytes i32) (param $rows i32)
    (block $done (loop $row
      (br_if $done (i32.eqz (local.get $rows)))
      (memory.copy (local.get $dst) (local.get $src) (local.get $rowBytes))
      (local.set $src (i32.add (local.get $src) (local.get $srcStride)))
      (local.set $dst (i32.add (local.get $dst) (local.get $dstStride)))
      (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
      (br $row))))
)
