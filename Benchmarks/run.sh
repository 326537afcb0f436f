#!/usr/bin/env bash
# minusma against ogr2ogr and the C floors, on this machine, in one run.
#
#   make benchmark                 # or: Benchmarks/run.sh
#   SIZES="13 100k" Benchmarks/run.sh
#
# Needs: hyperfine, GNU time, gdal-bin (ogr2ogr, ogrinfo), proj-bin (cs2cs), gcc, libproj-dev, and
# the workplace's yardsticks in $SHARED_BENCH (default ../shared/bench: gen_points.py,
# proj_trans_c.c). Inputs and outputs go to $WORK (default /tmp/minusma-bench), never the repo.
#
# Each comparison runs the two commands alternately, ROUNDS times (hyperfine, one run per command
# per round, so both see the same machine state), and reports medians, the ratio, and peak memory
# from GNU time. Then the 1M outputs are checked: ogrinfo counts the features, a sample of
# coordinates is compared with cs2cs, and the files are compared across batch sizes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$ROOT/../shared/bench}
WORK=${WORK:-/tmp/minusma-bench}
SIZES=${SIZES-13 100k 1m}
[ "${ONLY_READERS:-0}" = 1 ] && SIZES=""
BIN=$ROOT/.build/release/minusma
mkdir -p "$WORK/out" "$WORK/hf"
cd "$WORK"

[ -x "$BIN" ] || (cd "$ROOT" && swift build -c release --static-swift-stdlib)
(cd "$ROOT" && swift build -c release --product minusma-proj-bench >/dev/null)
gcc -O2 -o proj_trans_c "$SHARED_BENCH/proj_trans_c.c" -lproj

declare -A N=([13]=13 [100k]=100000 [1m]=1000000 [10m]=10000000)
declare -A ROUNDS=([13]=10 [100k]=5 [1m]=3 [10m]=1)
for s in $SIZES; do [ -s "pts_$s.csv" ] || python3 "$SHARED_BENCH/gen_points.py" "${N[$s]}" "pts_$s.csv"; done
OO="-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat"

# pair NAME ROUNDS OURS PEER [PEER_LABEL] [GOAL]: alternating runs, medians, ratio, peak RSS; the
# row also goes to hf/rows.tsv for the table printed at the end.
pair() {
  local name=$1 rounds=$2 ours=$3 ogr=$4 label=${5:-ogr2ogr} goal=${6:-}
  rm -f "hf/$name".*.json
  for r in $(seq "$rounds"); do
    hyperfine -N --style none -r 1 --prepare "sh -c 'rm -rf out/$name && mkdir -p out/$name'" \
      --export-json "hf/$name.$r.json" "$ours" "$ogr" >/dev/null 2>&1
  done
  local rss_ours rss_ogr
  rm -rf "out/$name"; mkdir -p "out/$name"
  rss_ours=$(/usr/bin/time -f %M sh -c "$ours" 2>&1 >/dev/null | tail -1)
  rm -rf "out/$name"; mkdir -p "out/$name"
  rss_ogr=$(/usr/bin/time -f %M sh -c "$ogr" 2>&1 >/dev/null | tail -1)
  python3 - "$name" "$rss_ours" "$rss_ogr" "$label" "$goal" hf/"$name".*.json <<'PY'
import json, statistics, sys
name, rss_a, rss_b, label, goal, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6:]
a = [json.load(open(f))["results"][0]["times"][0] for f in files]
b = [json.load(open(f))["results"][1]["times"][0] for f in files]
ma, mb = statistics.median(a), statistics.median(b)
print(f"{name:<24} minusma {ma*1000:9.1f} ms  {label} {mb*1000:9.1f} ms  ratio {mb/ma:5.2f}x  "
      f"peak RSS {rss_a/1024:5.1f} / {rss_b/1024:5.1f} MiB  ({len(files)} alternating rounds)")
met = "" if not goal else (" (met)" if mb / ma >= float(goal) else " (not met)")
with open("hf/rows.tsv", "a") as out:
    out.write("\t".join([name, f"{ma:.3f} s", f"{label} {mb:.3f} s", f"{mb/ma:.2f}x",
                          (f"{goal}x" + met) if goal else "", f"{rss_a/1024:.0f} / {rss_b/1024:.0f} MiB"]) + "\n")
PY
}
rm -f hf/rows.tsv

# Readers: the same points as GeoJSON and as a GeoPackage (made by ogr2ogr), exported to GeoJSON in
# UTM by both. READER_SIZES="" skips these rows; ONLY_READERS=1 runs only them.
READER_SIZES=${READER_SIZES-1m}
if [ -n "$READER_SIZES" ]; then
  echo "== GeoJSON and GeoPackage inputs → GeoJSON in EPSG:32630, minusma vs ogr2ogr (alternating runs)"
  for s in $READER_SIZES; do
    [ -s "pts_$s.csv" ] || python3 "$SHARED_BENCH/gen_points.py" "${N[$s]}" "pts_$s.csv"
    [ -s "pts_$s.geojson" ] || ogr2ogr -f GeoJSON "pts_$s.geojson" "pts_$s.csv" $OO -oo AUTODETECT_TYPE=YES -a_srs EPSG:4326
    [ -s "pts_$s.gpkg" ] || ogr2ogr -f GPKG "pts_$s.gpkg" "pts_$s.csv" $OO -oo AUTODETECT_TYPE=YES -a_srs EPSG:4326 -nln points
    for input in geojson gpkg; do
      pair "from_${input}_utm_$s" "${ROUNDS[$s]}" \
        "$BIN export --data $WORK/pts_$s.$input --format geojson --crs EPSG:32630 --out out/from_${input}_utm_$s --quiet --allow-empty" \
        "ogr2ogr -f GeoJSON out/from_${input}_utm_$s/o.geojson $WORK/pts_$s.$input -t_srs EPSG:32630" ogr2ogr 5
    done
  done
  last=${READER_SIZES##* }
  for input in geojson gpkg; do
    mkdir -p "out/readback_$input"
    "$BIN" export --data "$WORK/pts_$last.$input" --format geojson --crs EPSG:32630 --out "out/readback_$input" --quiet >/dev/null 2>&1 || true
    printf '%-28s ' "from $input, read back:"; ogrinfo -so -al "out/readback_$input/pts_$last.geojson" | grep "Feature Count"
  done
fi
[ "${ONLY_READERS:-0}" = 1 ] && exit 0

echo "== minusma export vs ogr2ogr (same input, alternating runs)"
for s in $SIZES; do
  in=$WORK/pts_$s.csv r=${ROUNDS[$s]}
  goal=""; [ "$s" = 1m ] && goal=10
  pair "geojson_utm_$s" "$r" \
    "$BIN export --data $in --format geojson --crs EPSG:32630 --out out/geojson_utm_$s --quiet --allow-empty" \
    "ogr2ogr -f GeoJSON out/geojson_utm_$s/o.geojson $in $OO -s_srs EPSG:4326 -t_srs EPSG:32630" ogr2ogr $goal
  pair "kml_$s" "$r" \
    "$BIN export --data $in --format kml --out out/kml_$s --quiet --allow-empty" \
    "ogr2ogr -f KML out/kml_$s/o.kml $in $OO -a_srs EPSG:4326" ogr2ogr $goal
  pair "csv_utm_$s" "$r" \
    "$BIN export --data $in --format csv --crs EPSG:32630 --out out/csv_utm_$s --quiet --allow-empty" \
    "ogr2ogr -f CSV out/csv_utm_$s/o.csv $in $OO -s_srs EPSG:4326 -t_srs EPSG:32630 -lco GEOMETRY=AS_XY" ogr2ogr $goal
done

if [[ " $SIZES " == *" 1m "* ]]; then
  echo "== minusma export vs the single-threaded C pipeline (CSV -> PROJ -> GeoJSON, 3 decimals as minusma writes)"
  gcc -O2 -o c_csv2geojson "$SHARED_BENCH/c_csv2geojson.c" -lproj
  # The C pipeline writes GeoJSON only: each of minusma's three text formats is set against it.
  pair "c_geojson_utm_1m" 3 \
    "$BIN export --data $WORK/pts_1m.csv --format geojson --crs EPSG:32630 --out out/c_geojson_utm_1m --quiet --allow-empty" \
    "./c_csv2geojson $WORK/pts_1m.csv out/c_geojson_utm_1m/c.geojson 3" "C-pipeline" 1.6
  pair "c_kml_1m" 3 \
    "$BIN export --data $WORK/pts_1m.csv --format kml --out out/c_kml_1m --quiet --allow-empty" \
    "./c_csv2geojson $WORK/pts_1m.csv out/c_kml_1m/c.geojson 3" "C-pipeline" 1.6
  pair "c_csv_utm_1m" 3 \
    "$BIN export --data $WORK/pts_1m.csv --format csv --crs EPSG:32630 --out out/c_csv_utm_1m --quiet --allow-empty" \
    "./c_csv2geojson $WORK/pts_1m.csv out/c_csv_utm_1m/c.geojson 3" "C-pipeline" 1.6

  echo "== GeoPackage, 1M rows in EPSG:32630, minusma vs ogr2ogr -f GPKG"
  pair "gpkg_utm_1m" 3 \
    "$BIN export --data $WORK/pts_1m.csv --format gpkg --crs EPSG:32630 --out out/gpkg_utm_1m --quiet --allow-empty" \
    "ogr2ogr -f GPKG out/gpkg_utm_1m/o.gpkg $WORK/pts_1m.csv $OO -s_srs EPSG:4326 -t_srs EPSG:32630" ogr2ogr 5
fi

echo "== the 13 built-in sites, every format, reprojected, in one process"
SITES=$ROOT/Data/minusma-sites.csv
OGR_ALL="ogr2ogr -f GeoJSON out/all_ogr/s.geojson $SITES -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -s_srs EPSG:4326 -t_srs EPSG:32630 && \
ogr2ogr -f KML out/all_ogr/s.kml $SITES -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -a_srs EPSG:4326 && \
ogr2ogr -f CSV out/all_ogr/s.csv $SITES -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -s_srs EPSG:4326 -t_srs EPSG:32630 -lco GEOMETRY=AS_XY && \
ogr2ogr -f GPKG out/all_ogr/s.gpkg $SITES -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -s_srs EPSG:4326 -t_srs EPSG:32630"
# Every registered format (the default export: the sites and their events, 28 files), the four
# formats ogr2ogr writes here too, and GeoJSON/KML/CSV alone.
OURS_EVERY="$BIN export --crs EPSG:32630 --out out/all_every --quiet"
OURS_ALL="$BIN export --crs EPSG:32630 --format geojson,kml,csv,gpkg --out out/all_ours --quiet"
OURS_3="$BIN export --crs EPSG:32630 --format geojson,kml,csv --out out/all_ours3 --quiet"
mkdir -p out/all_every out/all_ours out/all_ours3
hyperfine -N -w 3 -r 30 --style none --export-json hf/startup.json \
  "$OURS_EVERY" "$OURS_ALL" "$OURS_3" "./proj_trans_c 13 0" >/dev/null 2>&1
hyperfine -w 1 -r 10 --style none --export-json hf/startup_ogr.json \
  --prepare "rm -rf out/all_ogr; mkdir -p out/all_ogr" "$OGR_ALL" >/dev/null 2>&1
rss_every=$(/usr/bin/time -f %M sh -c "$OURS_EVERY" 2>&1 >/dev/null | tail -1)
python3 - "$rss_every" <<'PY'
import json, statistics, sys
r = json.load(open("hf/startup.json"))["results"]
o = json.load(open("hf/startup_ogr.json"))["results"][0]
every, ours, ours3, c = (statistics.median(x["times"]) for x in r)
ogr = statistics.median(o["times"])
print(f"every format (28 files)                     {every*1000:6.1f} ms = {every/c:4.2f}x the C floor")
print(f"GeoJSON, KML, CSV, GeoPackage               {ours*1000:6.1f} ms = {ours/c:4.2f}x the C floor, {ogr/ours:4.1f}x faster than ogr2ogr ({ogr*1000:.0f} ms)")
print(f"GeoJSON, KML, CSV                           {ours3*1000:6.1f} ms = {ours3/c:4.2f}x the C floor")
print(f"C floor (proj_trans_c 13 0)                 {c*1000:6.1f} ms")
with open("hf/rows.tsv", "a") as out:
    for name, t in (("startup_13_every_format", every), ("startup_13_geojson_kml_csv_gpkg", ours), ("startup_13_geojson_kml_csv", ours3)):
        met = " (met)" if t / c <= 1.3 else " (not met)"
        rss = f"{int(sys.argv[1]) / 1024:.0f} MiB" if name == "startup_13_every_format" else ""
        out.write(f"{name}\t{t*1000:.1f} ms\tC floor {c*1000:.1f} ms\t{t/c:.2f}x the floor\tat most 1.3x{met}\t{rss}\n")
PY

echo "== projection layer: 1,000,000 points in one batch (ns/point), Swift wrapper vs plain C"
"$ROOT/.build/release/minusma-proj-bench" 1000000 5 | grep batch_ns
./proj_trans_c 1000000 5 | grep -E "^batch_ns"

if [ "${MEMORY:-1}" = 1 ]; then
  echo "== peak memory of every registered format, 1M rows (and 10M for those that stream), minusma alone"
  [ -s pts_10m.csv ] || python3 "$SHARED_BENCH/gen_points.py" 10000000 pts_10m.csv
  mkdir -p out/mem
  FORMATS=$("$BIN" formats 2>/dev/null | awk 'NR > 2 && $2 ~ /w/ { print $1 }')
  [ -n "$FORMATS" ] || FORMATS="geojson kml kmz csv gpkg shp xlsx"
  for f in $FORMATS; do
    for n in 1m 10m; do
      # Excel's sheets end at 1,048,576 rows: xlsx refuses 10M with an error, not a cut.
      [ "$f" = xlsx ] && [ "$n" = 10m ] && continue
      [ "$n" = 10m ] && [ "${MEMORY_10M:-1}" != 1 ] && continue
      rm -rf out/mem/*
      /usr/bin/time -f "%e %M" -o hf/mem.txt "$BIN" export --data pts_$n.csv --format $f --crs EPSG:32630 --out out/mem --quiet --allow-empty >/dev/null 2>&1 || true
      # A command that fails makes GNU time write a line before its figures: read the last line.
      read -r secs kib < <(tail -1 hf/mem.txt)
      if [ "$(head -1 hf/mem.txt | cut -c1-7)" = Command ]; then
        printf '%-8s %-4s failed: %s\n' "$f" "$n" "$(head -1 hf/mem.txt)"
        printf 'memory_%s_%s\t%s\t\t\t50 MiB (not measured)\t\n' "$f" "$n" "$(head -1 hf/mem.txt)" >> hf/rows.tsv
        continue
      fi
      printf '%-8s %-4s %7s s  peak RSS %6.1f MiB\n' "$f" "$n" "$secs" "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')"
      printf 'memory_%s_%s\t%s s\t\t\t50 MiB%s\t%.0f MiB\n' "$f" "$n" "$secs" \
        "$([ "$kib" -le 51200 ] && echo " (met)" || echo " (not met)")" "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')" >> hf/rows.tsv
    done
  done
  # The readers too: the same points as GeoJSON and GeoPackage, made by ogr2ogr as above.
  for n in 1m 10m; do
    [ "$n" = 10m ] && [ "${MEMORY_10M:-1}" != 1 ] && continue
    [ -s "pts_$n.geojson" ] || ogr2ogr -f GeoJSON "pts_$n.geojson" "pts_$n.csv" $OO -oo AUTODETECT_TYPE=YES -a_srs EPSG:4326
    [ -s "pts_$n.gpkg" ] || ogr2ogr -f GPKG "pts_$n.gpkg" "pts_$n.csv" $OO -oo AUTODETECT_TYPE=YES -a_srs EPSG:4326 -nln points
    for input in geojson gpkg; do
      rm -rf out/mem/*
      /usr/bin/time -f "%e %M" -o hf/mem.txt "$BIN" export --data pts_$n.$input --format geojson --crs EPSG:32630 --out out/mem --quiet --allow-empty >/dev/null 2>&1 || true
      read -r secs kib < <(tail -1 hf/mem.txt)
      printf 'from %-8s %-4s %7s s  peak RSS %6.1f MiB\n' "$input" "$n" "$secs" "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')"
      printf 'memory_read_%s_%s\t%s s\t\t\t50 MiB%s\t%.0f MiB\n' "$input" "$n" "$secs" \
        "$([ "$kib" -le 51200 ] && echo " (met)" || echo " (not met)")" "$(awk -v k="$kib" 'BEGIN { print k / 1024 }')" >> hf/rows.tsv
    done
  done
fi

if [[ " $SIZES " == *" 1m "* ]]; then
  echo "== the 1M outputs, read back"
  mkdir -p out/check out/check_b1000 out/check_b65536
  # gen_points draws in a box slightly larger than Mali's: about 8,000 rows get a warning.
  "$BIN" export --data pts_1m.csv --format geojson,kml,csv --crs EPSG:32630 --out out/check --name check --quiet 2>&1 >/dev/null | tail -1
  for file in out/check/check.geojson out/check/check.csv; do
    printf '%-28s ' "$file"; ogrinfo -so -al "$file" | grep "Feature Count"
  done
  printf '%-28s ' out/check/check.kml; ogrinfo -al -q out/check/check.kml | grep -c "^OGRFeature" | sed 's/^/Feature Count: /'
  python3 - <<'PY'
import csv, subprocess, random
rows = list(csv.reader(open("pts_1m.csv", encoding="utf-8")))[1:]
out = {r[0]: r for r in csv.reader(open("out/check/check.csv", encoding="utf-8"))}
header = out.pop("id")
xi, yi = header.index("x"), header.index("y")
sample = random.Random(7).sample(rows, 1000)
inp = "".join(f"{r[3]} {r[2]}\n" for r in sample)
res = subprocess.run(["cs2cs", "-f", "%.6f", "EPSG:4326", "EPSG:32630"], input=inp, capture_output=True, text=True).stdout.split("\n")
worst = 0.0
for r, line in zip(sample, res):
    x, y = map(float, line.split()[:2])
    worst = max(worst, abs(float(out[r[0]][xi]) - x), abs(float(out[r[0]][yi]) - y))
print(f"1000 random rows: largest difference from cs2cs {worst*1000:.3f} mm")
PY
  for b in 1000 65536; do
    "$BIN" export --data pts_1m.csv --format geojson,kml,csv --crs EPSG:32630 --out out/check_b$b --name check --batch-size $b --quiet >/dev/null 2>&1
    for e in geojson kml csv; do
      cmp -s out/check/check.$e out/check_b$b/check.$e && echo "batch size $b: $e identical to batch size 4096" || echo "batch size $b: $e DIFFERS"
    done
  done
fi

echo
echo "== the table (medians; ratio = peer / minusma; goals from issues #12 and #16)"
python3 - <<'PY'
rows = [line.rstrip("\n").split("\t") for line in open("hf/rows.tsv", encoding="utf-8")]
print("| task | minusma | peer | ratio | goal | peak memory (minusma / peer) |")
print("|---|---|---|---|---|---|")
for r in rows:
    r += [""] * (6 - len(r))
    print("| " + " | ".join(r[:6]) + " |")
PY
