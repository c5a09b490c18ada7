#!/usr/bin/env bash
# Regenerates examples/school/evidence with real tools: LibreOffice (PDF, DOCX, XLSX), ImageMagick
# (camera-size JPEGs), exiftool (EXIF dates, camera model, orientation) and qpdf (a password-protected
# and an owner-restricted PDF). The output is committed; run this only to change the example.
# Needs: libreoffice-writer-nogui (and -calc for the .xlsx), imagemagick, libimage-exiftool-perl, qpdf,
# fonts-wqy-microhei.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ev="$here/school/evidence"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$ev"
mkdir -p "$ev"
FONT=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc

# office DIR NAME EXT TITLE BODY… — an HTML page converted by LibreOffice. PSTYLE, when set, styles
# the paragraphs (a report set in 三号 with wide leading runs to several pages).
office() {
  local dir="$1" name="$2" ext="$3" title="$4"
  shift 4
  mkdir -p "$ev/$dir"
  {
    printf '<html><head><meta charset="utf-8"><title>%s</title></head><body style="font-family:WenQuanYi Micro Hei">' "$title"
    printf '<h1 style="text-align:center">%s</h1>' "$title"
    for p in "$@"; do printf '<p style="%s">%s</p>' "${PSTYLE:-}" "$p"; done
    printf '<p style="text-align:right">某某市第一小学</p></body></html>'
  } >"$tmp/$name.html"
  local filter=pdf:writer_pdf_Export
  [ "$ext" = docx ] && filter='docx:MS Word 2007 XML'
  # Import as a Writer document: the default Writer/Web import puts a blank first page and drops the h1.
  soffice --headless "-env:UserInstallation=file://$tmp/profile" --infilter="HTML (StarWriter)" \
    --convert-to "$filter" --outdir "$tmp" "$tmp/$name.html" >/dev/null 2>&1
  mv "$tmp/$name.$ext" "$ev/$dir/$name.$ext"
}

# photo DIR NAME LABEL EXIFDATE [WIDTHxHEIGHT] [ORIENTATION] — a camera-like JPEG. WIDTHxHEIGHT is
# the scene as it should be seen; with ORIENTATION 6 the pixels are stored turned 90° the other way,
# as a phone held upright stores them, and the EXIF tag turns them back.
photo() {
  local dir="$1" name="$2" label="$3" date="$4" size="${5:-1600x1200}" orient="${6:-1}"
  mkdir -p "$ev/$dir"
  local f="$ev/$dir/$name.jpg"
  local turn=0
  [ "$orient" = 6 ] && turn=270
  [ "$orient" = 8 ] && turn=90
  [ "$orient" = 3 ] && turn=180
  local seed
  seed=$(printf '%s' "$name" | cksum | cut -d' ' -f1)
  local c1="hsl($((seed % 360)),55%,70%)" c2="hsl($(((seed / 7) % 360)),45%,35%)"
  local pt=$(( ${size%x*} / 18 ))
  convert -size "$size" "gradient:$c1-$c2" \
    -fill 'rgba(255,255,255,0.35)' -draw "circle $(( ${size%x*} / 3 )),$(( ${size#*x} / 2 )) $(( ${size%x*} / 2 )),$(( ${size#*x} / 2 ))" \
    -fill 'rgba(0,0,0,0.25)' -draw "rectangle $(( ${size%x*} / 2 )),$(( ${size#*x} / 3 )) $(( ${size%x*} * 9 / 10 )),$(( ${size#*x} * 5 / 6 ))" \
    -font "$FONT" -pointsize "$pt" -fill white -stroke black -strokewidth 2 -gravity center -annotate +0+0 "$label" \
    -pointsize $((pt / 2)) -strokewidth 1 -gravity southeast -annotate +30+30 "${date%% *}" \
    -attenuate 0.4 +noise Gaussian -rotate "$turn" -quality 82 "$f"
  exiftool -q -overwrite_original -Make=Canon "-Model=Canon EOS 200D" "-DateTimeOriginal=$date" "-CreateDate=$date" \
    "-Orientation#=$orient" "$f"
}

A11="A1 组织领导/A1.1 领导机构健全"
A12="A1 组织领导/A1.2 工作制度完善"
A21="A2 理想信念教育/A2.1 社会主义核心价值观教育"
A22="A2 理想信念教育/A2.2 中华优秀传统文化教育"
A31="A3 道德品质教育/A3.1 文明礼仪教育"
A32="A3 道德品质教育/A3.2 志愿服务"
A41="A4 校园文化与心理健康/A4.1 校园环境整洁"
A42="A4 校园文化与心理健康/A4.2 心理健康教育"
A51="A5 家校共育/A5.1 家长学校"
A52="A5 家校共育/A5.2 网络环境治理"

office "$A11" "2023-09-01 关于成立创城工作领导小组的通知 一小〔2023〕12号" pdf "关于成立创城工作领导小组的通知" \
  "各处室、各年级组：" "为深入推进全国文明城市创建工作，经研究，决定成立学校创城工作领导小组。" \
  "组　长：张校长" "副组长：王主任、赵主任" "成　员：李老师、陈老师、周老师、吴老师、郑老师" \
  "领导小组下设办公室，负责日常工作的组织协调和材料收集整理。"
photo "$A11" "2023-09-05 领导小组第一次工作会议" "领导小组第一次工作会议" "2023:09:05 10:15:00"
photo "$A11" "会议现场" "会议现场（竖拍）" "2023:09:05 10:40:00" 1200x1600 6
cat >"$ev/$A11/会议现场.jpg.yaml" <<'EOF'
title: 创城工作领导小组会议现场
place: 学校三楼会议室
people: 张校长、王主任、赵主任及全体成员
photographer: 李老师
caption: 张校长部署本学年创城工作任务，明确各成员分工。
EOF
printf 'junk' >"$ev/$A11/Thumbs.db"

office "$A12" "2023-09-10 2023-2024学年创城工作计划" docx "2023—2024学年创城工作计划" \
  "一、指导思想：以社会主义核心价值观为引领，全面推进未成年人思想道德建设。" \
  "二、工作目标：巩固创建成果，各项测评指标全部达标。" \
  "三、主要措施：健全机构、完善制度、丰富活动、强化宣传、做好档案。"
printf 'lock' >"$ev/$A12/~\$23-2024学年创城工作计划.docx"
# the unit's reason for the missing 年度工作总结, printed on its 缺项说明 page
printf '年度工作总结在学年结束（2024年7月）后形成，届时补充归档。\n' >"$ev/$A12/缺项说明.txt"

office "$A21" "2023-10-08 核心价值观主题教育活动方案" docx "社会主义核心价值观主题教育活动方案" \
  "活动主题：争做新时代好少年。" "活动时间：2023年10月。" "活动内容：主题班会、手抄报评比、国旗下讲话。"
for i in 1 2 3; do photo "$A21" "2023-10-12 创城主题班会 $i" "创城主题班会 $i" "2023:10:12 14:0$i:00"; done
cp "$ev/$A21/2023-10-12 创城主题班会 3.jpg" "$ev/$A21/2023-10-12 创城主题班会 3 - 副本.jpg"

for i in 1 2; do photo "$A22" "2024-02-08 我们的节日·春节 $i" "我们的节日·春节 $i" "2024:02:08 09:3$i:00"; done
para=(
  "为深入学习贯彻习近平新时代中国特色社会主义思想，大力弘扬中华优秀传统文化，按照市文明办、市教育局《关于开展“我们的节日·春节”主题活动的通知》要求，我校于2024年1月26日至2月18日寒假期间，组织全校师生开展了“我们的节日·春节”主题活动。现将活动情况总结如下。"
  "一、加强组织领导，周密安排部署"
  "学校成立了由校长任组长、分管德育副校长任副组长、各年级组长和班主任为成员的活动领导小组，制定了《“我们的节日·春节”主题活动实施方案》，明确了活动主题、活动内容、时间安排和工作要求。1月24日，学校召开班主任工作会议，对寒假期间的活动进行专题部署，要求各班结合学生年龄特点，精心设计活动内容，做到有计划、有记录、有总结。"
  "二、丰富活动内容，突出节日内涵"
  "（一）“写春联、送祝福”活动。1月28日，学校邀请市书法家协会3名会员走进校园，指导四至六年级学生书写春联、“福”字。活动共书写春联200余副，由学生志愿者送到学校周边的阳光社区、幸福里社区的孤寡老人和环卫工人家中，把新春的祝福送到群众身边。"
  "（二）“包饺子、话团圆”家庭实践活动。各班向学生发出倡议，除夕前后与家人一起包饺子、贴春联、挂灯笼，用照片或短视频记录下家庭团圆的温馨时刻。全校共有1126名学生参与，各班共评选出“最美年味”家庭作品86件，在开学后的班级文化墙上进行展示。"
  "（三）“讲年俗、知传统”阅读分享活动。学校图书室向学生推荐了《中国传统节日故事》《过年啦》等12种寒假阅读书目。学生通过阅读、查资料、访问长辈等方式，了解守岁、拜年、舞龙舞狮等春节习俗的由来，撰写读书笔记和手抄报。开学第一周，各班利用班会课开展“我来讲年俗”分享会。"
  "（四）“文明过春节、安全伴我行”教育活动。学校通过致家长的一封信、班级微信群等方式，向学生和家长宣传文明燃放烟花爆竹、文明拜年、勤俭节约、绿色出行等要求，倡导“文明餐桌”“光盘行动”。假期中未发生学生安全事故。"
  "三、活动取得的成效"
  "一是增强了学生的文化认同。学生在亲身参与中感受到传统节日的魅力，对春节习俗的由来有了更深的了解，增强了民族自豪感。二是促进了家校共育。家庭实践活动让家长成为活动的参与者和指导者，密切了家校联系。三是服务了社区群众。送春联进社区活动得到了社区居民的好评，阳光社区专门向学校发来了感谢信。"
  "四、存在的不足和今后的打算"
  "活动中也存在一些不足：部分低年级学生参与方式较为单一，个别班级活动记录不够完整。今后，学校将进一步把传统节日教育纳入德育工作计划，在清明、端午、中秋等传统节日持续开展主题活动，完善活动资料的收集和整理，推动中华优秀传统文化教育常态化、制度化。"
)
PSTYLE="font-size:16pt;line-height:180%;text-indent:2em" office "$A22" "2024-02-20 我们的节日活动总结" pdf "“我们的节日·春节”主题活动总结" "${para[@]}"
photo "$A22" "2022-09-10 中秋节活动" "中秋节活动" "2022:09:10 15:00:00"

office "$A31" "2023-11-15 文明礼仪教育讲座" pdf "文明礼仪教育讲座记录" \
  "主讲：周老师。" "内容：校园礼仪、文明交通、文明上网。" "听讲：四至六年级全体学生。"
printf '礼仪教育心得\r\n\r\n四年级（2）班 王小明\r\n\r\n听了周老师的讲座，我知道了见到老师要主动问好，上下楼梯要靠右行，在网上也要文明用语。\r\nWe should be polite — 文明礼仪，从我做起！\r\n' | iconv -f UTF-8 -t GB18030 >"$ev/$A31/2023-11-16 礼仪教育心得.txt"
# A video placeholder with a real MP4 signature: something people do put in evidence folders.
printf '\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x08free' >"$ev/$A31/讲座视频.mp4"
: >"$ev/$A31/2023-11-20 礼仪之星名单.pdf"

printf '日期,服务内容,地点,参加人数\n2023-12-05,社区环境清洁,幸福社区,32\n2024-03-05,学雷锋关爱老人,敬老院,28\n' >"$tmp/志愿服务记录表.csv"
soffice --headless "-env:UserInstallation=file://$tmp/profile" --infilter=CSV:44,34,76 --convert-to xlsx --outdir "$tmp" "$tmp/志愿服务记录表.csv" >/dev/null 2>&1 || true
if [ -f "$tmp/志愿服务记录表.xlsx" ]; then
  mkdir -p "$ev/$A32" && mv "$tmp/志愿服务记录表.xlsx" "$ev/$A32/2023-12-05 志愿服务记录表.xlsx"
else
  office "$A32" "2023-12-05 志愿服务记录表" docx "志愿服务记录表" "2023-12-05 社区环境清洁 幸福社区 32人" "2024-03-05 学雷锋关爱老人 敬老院 28人"
fi
for i in 1 2 3; do photo "$A32" "2023-12-05 社区志愿服务 $i" "社区志愿服务 $i" "2023:12:05 09:0$i:00"; done
photo "$A32" "2024-03-05 学雷锋关爱老人" "学雷锋关爱老人" "2024:03:05 10:00:00" 800x600
office "$A32" "2024-03-01 志愿者名单" pdf "志愿者名单" "六（1）班：全体同学。"
qpdf --encrypt secret owner 256 -- "$ev/$A32/2024-03-01 志愿者名单.pdf" "$tmp/enc.pdf"
mv "$tmp/enc.pdf" "$ev/$A32/2024-03-01 志愿者名单.pdf"

photo "$A41" "2024-04-18 校园环境" "校园环境" "2024:04:18 08:00:00"
# A screenshot saved as PNG but named .jpg, with no date anywhere: a type-mismatch and an undated warning.
convert -size 1400x1000 gradient:'#dfe9f3-#ffffff' -font "$FONT" -pointsize 64 -fill '#b22222' -gravity center \
  -annotate +0+0 '文明校园 从我做起' "png:$ev/$A41/校园宣传栏.jpg"

office "$A42" "2023-09-01 心理健康教育课表" pdf "心理健康教育课表" "每周三下午第二节，各班轮流上心理健康教育课。" "任课教师：吴老师（专职）。"
qpdf --encrypt "" owner 256 --modify=none --extract=n -- "$ev/$A42/2023-09-01 心理健康教育课表.pdf" "$tmp/res.pdf"
mv "$tmp/res.pdf" "$ev/$A42/2023-09-01 心理健康教育课表.pdf"
photo "$A42" "心理咨询室" "心理咨询室" "2023:09:20 11:00:00"
office "$A42/草稿" "课表草稿" docx "课表草稿" "未定稿。"

office "$A51" "2023-10-20 家长学校授课通知" docx "关于举办家长学校第一讲的通知" "各位家长：定于2023年10月20日下午举办家长学校第一讲，主题“如何陪伴孩子成长”。"
office "$A51" "2023-10-20 家长学校签到表" pdf "家长学校签到表" "一（1）班：到会 41 人。" "一（2）班：到会 39 人。"
photo "$A51" "2023-10-20 家长学校授课" "家长学校授课" "2023:10:20 15:00:00"
photo "$A51" "IMG_20231020_153000" "家长学校互动" "2023:10:20 15:30:00"
head -c 40000 "$ev/$A51/2023-10-20 家长学校授课.jpg" >"$ev/$A51/2023-10-20 家长学校现场（传输中断）.jpg"

mkdir -p "$ev/$A52" && : >"$ev/$A52/.gitkeep"
mkdir -p "$ev/其他"
printf '这里放暂时不知道归哪个指标的材料。\n' >"$ev/其他/说明.txt"
echo "examples/school/evidence regenerated: $(find "$ev" -type f | wc -l) files, $(du -sh "$ev" | cut -f1)"
