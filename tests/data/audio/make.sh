#!/usr/bin/env bash
# Re-create the audio fixtures in this folder (see README.md for what each is for).
# Needs ffmpeg (built with libmp3lame, libopus, libvorbis, libx264) and python3.
# -bitexact keeps version strings out, so a re-run with the same ffmpeg gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")"

ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
bx=(-fflags +bitexact -flags +bitexact)

# MP3, CBR 32 kb/s, 22.05 kHz mono, with ffmpeg's default LAME "Info" header.
ff -f lavfi -i sine=frequency=440:duration=3:sample_rate=22050 \
   -ac 1 -c:a libmp3lame -b:a 32k "${bx[@]}" sine-3s-cbr.mp3

# MP3, VBR, 8 kHz mono, NO Xing/VBRI header: 1 s of loud noise (high-bitrate first
# frames) then 12 s alternating silence and a quiet sine (low bitrates), so a
# first-frame bitrate estimate is far off.
ff -f lavfi \
   -i "aevalsrc=exprs='if(lt(t,1),random(0)*2-1,if(lt(mod(t,4),2),0,0.5*sin(2*PI*440*t)))':s=8000:d=13" \
   -ac 1 -c:a libmp3lame -q:a 9 -write_xing 0 "${bx[@]}" sine-13s-vbr-noxing.mp3

# MP3, CBR, no Xing header (so the frame scan runs), behind a ~4 KB ID3v2 tag with an
# attached JPEG of noise (56x56), and with an ID3v1 "TAG" trailer.
ff -f lavfi -i sine=frequency=440:duration=2:sample_rate=22050 \
   -f lavfi -i "nullsrc=s=56x56:d=1,geq=lum='random(1)*255':cb='random(2)*255':cr='random(3)*255'" \
   -map 0:a -map 1:v -frames:v 1 -ac 1 -c:a libmp3lame -b:a 32k -c:v mjpeg -q:v 2 \
   -disposition:v attached_pic -metadata:s:v title="Album cover" -metadata:s:v comment="Cover (front)" \
   -metadata title="With cover" -id3v2_version 3 -write_id3v1 1 -write_xing 0 \
   "${bx[@]}" with-cover.mp3

# AAC in MP4, 22.05 kHz mono: moov after mdat (ffmpeg's default), and moov first.
ff -f lavfi -i sine=frequency=440:duration=2:sample_rate=22050 \
   -ac 1 -c:a aac -b:a 24k "${bx[@]}" sine-2s-moov-end.m4a
ff -f lavfi -i sine=frequency=440:duration=2:sample_rate=22050 \
   -ac 1 -c:a aac -b:a 24k -movflags +faststart "${bx[@]}" sine-2s-faststart.m4a

# Ogg Opus and Ogg Vorbis.
ff -f lavfi -i sine=frequency=440:duration=2:sample_rate=48000 \
   -ac 1 -c:a libopus -b:a 12k "${bx[@]}" sine-2s.opus
ff -f lavfi -i sine=frequency=440:duration=2:sample_rate=22050 \
   -ac 1 -c:a libvorbis -q:a 0 "${bx[@]}" sine-2s.ogg

# FLAC, 8 kHz mono 16-bit.
ff -f lavfi -i sine=frequency=440:duration=2:sample_rate=8000 \
   -ac 1 -c:a flac -sample_fmt s16 "${bx[@]}" sine-2s.flac

# WAV, 8 kHz mono unsigned 8-bit PCM.
ff -f lavfi -i sine=frequency=440:duration=1:sample_rate=8000 \
   -ac 1 -c:a pcm_u8 "${bx[@]}" sine-1s.wav

# MP4 with a 16x16 H.264 video track and an AAC audio track, 1 s.
ff -f lavfi -i testsrc=size=16x16:rate=10:duration=1 \
   -f lavfi -i sine=frequency=440:duration=1:sample_rate=22050 \
   -map 0:v -map 1:a -c:v libx264 -preset veryslow -crf 40 -pix_fmt yuv420p \
   -ac 1 -c:a aac -b:a 24k "${bx[@]}" video-1s.mp4

# ADTS AAC (a raw .aac stream): mutagen reads it, but podcastfeed does not publish it.
ff -f lavfi -i sine=frequency=440:duration=1:sample_rate=22050 \
   -ac 1 -c:a aac -b:a 24k "${bx[@]}" sine-1s.aac

# Broken files.
: > empty.mp3
head -c "$(( $(stat -c %s sine-3s-cbr.mp3) * 40 / 100 ))" sine-3s-cbr.mp3 > truncated.mp3
python3 -c 'import random, sys; random.seed(20240601); sys.stdout.buffer.write(random.randbytes(4096))' \
   > random-bytes.mp3
cat > not-audio.mp3 <<'HTML'
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>404 Not Found</title>
<style>body { font-family: sans-serif; margin: 4em auto; max-width: 40em; }</style>
</head>
<body>
<h1>Not Found</h1>
<p>The requested URL /episodes/audio/001-intro.mp3 was not found on this server.</p>
<p>If you followed a link from a podcast app, the episode may have moved.
Please check the show page for the current feed address.</p>
<hr>
<address>Apache Server at media.example.com Port 443</address>
</body>
</html>
HTML
