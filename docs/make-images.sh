#!/usr/bin/env bash
# 为《使用手册》生成页面图片：把自带示例 examples/school 装订到一个临时文件夹，再用 poppler 的
# pdftoppm 把选定的页面画成 PNG，放进 docs/images/。
#
# 用哪一页，是读 PDF 的文字（pdftotext）找出来的，不是写死的页码：示例的材料变了，图片仍是对的页。
# 每张图片须小于 150 KB：照片页按原样太大时，用 ImageMagick 减少颜色（没有 ImageMagick 则降低分辨率）。
#
# 用法（在仓库根目录，先 npm run build）：  bash docs/make-images.sh
# 需要：node、pdftoppm 和 pdftotext（poppler-utils）；可选 ImageMagick（convert 或 magick）。
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
images="$root/docs/images"
limit=153600 # 150 KB

for tool in node pdftoppm pdftotext pdfinfo; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool：请先安装（pdftoppm、pdftotext 在 poppler-utils 里）。" >&2; exit 2; }
done
[ -f dist/cli/main.js ] || { echo "找不到 dist/cli/main.js：请先运行 npm run build。" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 只装订 PDF；--no-cache：不在本机的缓存文件夹里留下东西。
node dist/cli/main.js build examples/school --out "$tmp/out" --date 2024-05-20 --format pdf --no-cache >/dev/null 2>"$tmp/build.log" || {
  cat "$tmp/build.log" >&2
  exit 2
}

a1="$tmp/out/A1 组织领导.pdf"
a2="$tmp/out/A2 理想信念教育.pdf"
for f in "$a1" "$a2"; do [ -f "$f" ] || { echo "装订结果里没有 $f" >&2; exit 2; }; done

pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }

# find_page PDF 描述 PATTERN... ：第一页，其文字（pdftotext -layout）逐一匹配所有 PATTERN（grep -E）。
# 以 ! 开头的 PATTERN 表示这一页不能含有它。
find_page() {
  local pdf="$1" what="$2"
  shift 2
  local n i text ok p
  n=$(pages "$pdf")
  for ((i = 1; i <= n; i++)); do
    text=$(pdftotext -layout -f "$i" -l "$i" "$pdf" -)
    ok=1
    for p in "$@"; do
      if [[ "$p" == '!'* ]]; then
        if grep -Eq -- "${p:1}" <<<"$text"; then ok=0; break; fi
      else
        if ! grep -Eq -- "$p" <<<"$text"; then ok=0; break; fi
      fi
    done
    if [ "$ok" = 1 ]; then
      echo "$i"
      return 0
    fi
  done
  echo "在 $(basename "$pdf") 里找不到：$what" >&2
  exit 2
}

# 归档章第一行：全宗号 年度 件号（四位），如“Z109 2023 0001”
STAMP='^[[:space:]]*[A-Za-z0-9]+[[:space:]]+(19|20)[0-9]{2}[[:space:]]+[0-9]{4}[[:space:]]*$'

cover=$(find_page "$a1" 封面 '全宗名称' '档号')
toc=$(find_page "$a1" 卷内目录 '卷内目录' '顺序号')
form=$(find_page "$a1" '有缺项的测评材料提交表' '测评项目' '不齐全')
photo=$(find_page "$a1" '说明栏填写完整的照片页' '摄影者：' '地点：[[:space:]]+[^[:space:]]')
photo_stamp=$(find_page "$a1" '带归档章、说明栏留空的照片页' '摄影者：' "$STAMP" '!地点：[[:space:]]+[^[:space:]]')
stamp=$(find_page "$a1" '带归档章的文件首页' "$STAMP" '!题名：')
gap=$(find_page "$a1" '写了原因的缺项说明' '缺少的材料' '原因[[:space:]]+[^[:space:]]')
gap_blank=$(find_page "$a2" '原因留空的缺项说明' '缺少的材料' '^[[:space:]]*原因[[:space:]]*$')
backnote=$(find_page "$a1" 卷内备考表 '卷内备考表' '立卷人')

mkdir -p "$images"

# render PDF PAGE NAME [裁剪高度(像素，80 dpi)]
render() {
  local pdf="$1" page="$2" name="$3" crop="${4:-}"
  local out="$images/$name.png"
  local args=(-png -r 80 -f "$page" -l "$page" -singlefile)
  if [ -n "$crop" ]; then args+=(-x 0 -y 0 -W 662 -H "$crop"); fi
  pdftoppm "${args[@]}" "$pdf" "$tmp/$name"
  mv "$tmp/$name.png" "$out"
  if [ "$(stat -c %s "$out")" -gt "$limit" ]; then
    if command -v magick >/dev/null; then
      magick "$out" +dither -colors 64 "$out"
    elif command -v convert >/dev/null; then
      convert "$out" +dither -colors 64 "$out"
    else
      pdftoppm -png -r 56 -f "$page" -l "$page" -singlefile "$pdf" "$tmp/$name"
      mv "$tmp/$name.png" "$out"
    fi
  fi
  local size
  size=$(stat -c %s "$out")
  if [ "$size" -gt "$limit" ]; then
    echo "$name.png 有 $size 字节，超过 150 KB。" >&2
    exit 2
  fi
  printf '%-18s %s 第 %2d 页  %6d 字节\n' "$name.png" "$(basename "$pdf")" "$page" "$size"
}

render "$a1" "$cover" cover
render "$a1" "$toc" toc
render "$a1" "$form" form
render "$a1" "$photo" photo
render "$a1" "$photo_stamp" photo-stamp
render "$a1" "$stamp" stamp 330
render "$a1" "$gap" gap
render "$a2" "$gap_blank" gap-blank
render "$a1" "$backnote" backnote

# 检查看板（check --format html）：用 Chromium（或 Chrome）无界面模式截取网页的上半部分。
# 没有浏览器时保留原有的 dashboard.png。
browser=""
for b in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$b" >/dev/null; then browser="$b"; break; fi
done
if [ -z "$browser" ]; then
  echo "没有 Chromium/Chrome：dashboard.png 未更新（Debian/Ubuntu：apt-get install chromium）。" >&2
  exit 0
fi
node dist/cli/main.js check examples/school --today 2024-05-16 --format html --output "$tmp/dashboard.html" --no-cache 2>/dev/null || [ $? -eq 1 ]
sandbox=()
[ "$(id -u)" = 0 ] && sandbox=(--no-sandbox) # root（如容器里）只能不用沙箱运行 Chromium
"$browser" --headless "${sandbox[@]}" --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size=1280,1180 --screenshot="$tmp/dashboard.png" "file://$tmp/dashboard.html" >/dev/null 2>&1
out="$images/dashboard.png"
mv "$tmp/dashboard.png" "$out"
if [ "$(stat -c %s "$out")" -gt "$limit" ]; then
  if command -v magick >/dev/null; then
    magick "$out" +dither -colors 64 "$out"
  elif command -v convert >/dev/null; then
    convert "$out" +dither -colors 64 "$out"
  fi
fi
size=$(stat -c %s "$out")
if [ "$size" -gt "$limit" ]; then
  echo "dashboard.png 有 $size 字节，超过 150 KB。" >&2
  exit 2
fi
printf '%-18s %s  %6d 字节\n' dashboard.png '检查看板 --today 2024-05-16' "$size"
