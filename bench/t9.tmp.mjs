import sharp from 'sharp';
import fs from 'node:fs';
sharp.cache(false); sharp.concurrency(1);
const files = fs.readFileSync('/tmp/photos.txt','utf8').trim().split('\n');
const bufs = files.map(f=>fs.readFileSync(f));
const V = {
  current: b=>sharp(b,{failOn:'none'}).rotate().resize(1339,1004,{fit:'fill'}).toColourspace('srgb').flatten({background:'#fff'}).jpeg({quality:85,chromaSubsampling:'4:2:0'}).toBuffer(),
  noOptCoding: b=>sharp(b,{failOn:'none'}).rotate().resize(1339,1004,{fit:'fill'}).toColourspace('srgb').flatten({background:'#fff'}).jpeg({quality:85,chromaSubsampling:'4:2:0',optimiseCoding:false}).toBuffer(),
  mitchell: b=>sharp(b,{failOn:'none'}).rotate().resize(1339,1004,{fit:'fill',kernel:'mitchell'}).toColourspace('srgb').flatten({background:'#fff'}).jpeg({quality:85,chromaSubsampling:'4:2:0'}).toBuffer(),
  decodeOnly: b=>sharp(b,{failOn:'none'}).resize(2000,1500,{kernel:'nearest'}).raw().toBuffer(),
  noEncode: b=>sharp(b,{failOn:'none'}).rotate().resize(1339,1004,{fit:'fill'}).toColourspace('srgb').flatten({background:'#fff'}).raw().toBuffer(),
};
const tot = Object.fromEntries(Object.keys(V).map(k=>[k,0]));
for (let round=0; round<4; round++) for (const [k,fn] of Object.entries(V)) { const c0=process.cpuUsage(); for (const b of bufs) await fn(b); const c=process.cpuUsage(c0); tot[k]+= (c.user+c.system)/1000; }
for (const [k,v] of Object.entries(tot)) console.log(k.padEnd(12), (v/4/bufs.length).toFixed(1), 'ms CPU/photo');
