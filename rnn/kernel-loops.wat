;; The OpenBLAS kernel's elementwise loops (rnn/kernel-blas.ts), two doubles at a time with
;; WebAssembly SIMD. In JavaScript they were a third of a training step at the search's small widths
;; (~3 ns an element against ~0.5 here). Every buffer they touch lives in the workspace's memory;
;; pointers and strides are in bytes.
;;
;; Both compute exactly what the scalar JavaScript did, bit for bit: v · (v > 0 ? 1 : 0), with the
;; comparison's all-ones lanes ANDed with 1.0 to make the 1 (and +0 where false). The product keeps
;; JavaScript's signs: a negative value times +0 is −0, NaN stays NaN.
;;
;; Assembled into rnn/kernel-loops-wasm.ts by `npm run build:wasm` (wabt); a test checks the two agree.
(module
  (import "kernel" "memory" (memory 1))

  ;; values[i] = v · (v > 0) for the n doubles from byte `at`.
  (func (export "relu") (param $at i32) (param $n i32)
    (local $end i32) (local $pairsEnd i32) (local $v v128)
    (local.set $end (i32.add (local.get $at) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $pairsEnd (i32.add (local.get $at) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $at) (local.get $pairsEnd)))
        (local.set $v (v128.load align=8 (local.get $at)))
        (v128.store align=8 (local.get $at)
          (f64x2.mul (local.get $v)
            (v128.and (f64x2.gt (local.get $v) (f64x2.splat (f64.const 0))) (f64x2.splat (f64.const 1)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $pairs)))
    (if (i32.lt_u (local.get $at) (local.get $end))
      (then
        (f64.store (local.get $at)
          (f64.mul (f64.load (local.get $at))
            (f64.convert_i32_u (f64.gt (f64.load (local.get $at)) (f64.const 0))))))))

  ;; grad[r][c] ·= (activation[r][c] > 0) over a rows × cols block; each buffer has its own start and row stride.
  (func (export "reluBackward")
    (param $grad i32) (param $gradStride i32) (param $act i32) (param $actStride i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $g i32) (local $a i32) (local $pairsEnd i32) (local $pairBytes i32)
    (local.set $pairBytes (i32.shl (i32.and (local.get $cols) (i32.const -2)) (i32.const 3)))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $g (local.get $grad))
        (local.set $a (local.get $act))
        (local.set $pairsEnd (i32.add (local.get $grad) (local.get $pairBytes)))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_u (local.get $g) (local.get $pairsEnd)))
            (v128.store align=8 (local.get $g)
              (f64x2.mul (v128.load align=8 (local.get $g))
                (v128.and (f64x2.gt (v128.load align=8 (local.get $a)) (f64x2.splat (f64.const 0))) (f64x2.splat (f64.const 1)))))
            (local.set $g (i32.add (local.get $g) (i32.const 16)))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (br $pairs)))
        (if (i32.and (local.get $cols) (i32.const 1))
          (then
            (f64.store (local.get $g)
              (f64.mul (f64.load (local.get $g))
                (f64.convert_i32_u (f64.gt (f64.load (local.get $a)) (f64.const 0)))))))
        (local.set $grad (i32.add (local.get $grad) (local.get $gradStride)))
        (local.set $act (i32.add (local.get $act) (local.get $actStride)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))
)
