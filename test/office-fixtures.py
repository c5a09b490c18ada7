#!/usr/bin/python3
# Office fixtures made by LibreOffice itself, in one LibreOffice process (driven through UNO, so that
# documents can also be saved with a password to open): reads a JSON list of jobs on stdin,
#   { "kind": "writer" | "calc" | "impress", "text": "…", "dst": "/abs/path", "filter": "MS Word 97",
#     "password": "…" (optional) }
# makes a new document of that kind holding `text` (Writer: one paragraph; Calc: a two-column table
# whose first cell is `text`; Impress: one slide with `text` in a text box), and stores it at `dst`
# with LibreOffice's export filter `filter`. Prints one line per job: "ok DST" or "fail DST why".
# Usage: /usr/bin/python3 office-fixtures.py PROFILE_DIR < jobs.json   (Debian: python3-uno)
import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.awt import Point, Size
from com.sun.star.beans import PropertyValue


def props(**kw):
    out = []
    for k, v in kw.items():
        p = PropertyValue()
        p.Name = k
        p.Value = v
        out.append(p)
    return tuple(out)


def main():
    profile = sys.argv[1]
    jobs = json.load(sys.stdin)
    pipe = 'ccfixtures%d' % os.getpid()
    proc = subprocess.Popen(
        ['soffice', '--headless', '--norestore', '--nologo', '--nodefault', '--nolockcheck',
         '-env:UserInstallation=' + uno.systemPathToFileUrl(profile), '--accept=pipe,name=%s;urp;' % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext('com.sun.star.bridge.UnoUrlResolver', local)
    ctx = None
    for _ in range(240):
        try:
            ctx = resolver.resolve('uno:pipe,name=%s;urp;StarOffice.ComponentContext' % pipe)
            break
        except Exception:
            time.sleep(0.25)
    if ctx is None:
        proc.kill()
        sys.exit('LibreOffice did not answer')
    desktop = ctx.ServiceManager.createInstanceWithContext('com.sun.star.frame.Desktop', ctx)
    try:
        for job in jobs:
            kind = job['kind']
            doc = desktop.loadComponentFromURL('private:factory/s' + kind if kind != 'writer' else 'private:factory/swriter', '_blank', 0, props(Hidden=True))
            text = job['text']
            if kind == 'writer':
                doc.getText().setString(text)
            elif kind == 'calc':
                sheet = doc.getSheets().getByIndex(0)
                sheet.getCellByPosition(0, 0).setString(text)
                sheet.getCellByPosition(1, 0).setString('数量')
                sheet.getCellByPosition(0, 1).setString('志愿服务')
                sheet.getCellByPosition(1, 1).setValue(12)
            else:
                page = doc.getDrawPages().getByIndex(0)
                box = doc.createInstance('com.sun.star.drawing.TextShape')
                page.add(box)
                box.setPosition(Point(2000, 3000))
                box.setSize(Size(20000, 3000))
                box.setString(text)
            args = dict(FilterName=job['filter'], Overwrite=True)
            if job.get('password'):
                args['Password'] = job['password']
            try:
                doc.storeToURL(uno.systemPathToFileUrl(job['dst']), props(**args))
                print('ok', job['dst'], flush=True)
            except Exception as e:  # noqa: BLE001 (said, and the test fails on it)
                print('fail', job['dst'], e, flush=True)
            doc.close(True)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


main()
