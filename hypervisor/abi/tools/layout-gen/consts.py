import re, subprocess, sys, os, glob
G = os.environ.get('WORK', '/tmp/ferrite-layout-gen')
TOOLS = os.path.dirname(os.path.abspath(__file__))
hdr = sys.argv[1]
text = open(f'{G}/x420/xen/include/public/{hdr}').read()
names = []
for m in re.finditer(r'^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\s+\S.*)?$', text, re.M):
    n = m.group(1)
    if m.group(2) is None or n.startswith('_') or n.endswith('_H__') or n in names:
        continue
    val = re.sub(r'/\*.*', '', m.group(2)).strip()
    if '"' in val or not re.match(r'^([\(\-~0-9]|[A-Z_][A-Z0-9_]*\b)', val):
        continue
    names.append(n)
src = ''
for f in glob.glob('/work/main/hypervisor/abi/src/**/*.rs', recursive=True):
    src += open(f).read()
names = [n for n in names if not re.search(r'\b' + n + r'\b\s*(=|:)', src)]

def evaluate(inc, cc, names):
    live = list(names)
    for _ in range(10):
        c = '#include <stdint.h>\n#include <stddef.h>\n#include <xen/xen.h>\n#include <xen/%s>\nconst unsigned long long v[] = {\n' % hdr
        c += ''.join(f'(unsigned long long)({n}),\n' for n in live) + '0};\n'
        first = 6
        open(f'{G}/cv.c', 'w').write(c)
        r = subprocess.run([cc, '-S', '-O0', '-D__XEN_TOOLS__', '-w', '-fmax-errors=0', '-I', f'{G}/{inc}', f'{G}/cv.c', '-o', f'{G}/cv.s'], capture_output=True, text=True)
        if r.returncode == 0:
            vals = []
            for l in open(f'{G}/cv.s'):
                p = l.split()
                if len(p) == 2 and p[0] in ('.quad', '.xword', '.8byte'):
                    vals.append(int(p[1], 0) & (2**64 - 1))
            return dict(zip(live, vals))
        bad = set()
        for l in r.stderr.splitlines():
            m = re.match(re.escape(f'{G}/cv.c') + r':(\d+):\d+: (error|note: in expansion)', l)
            if m:
                bad.add(int(m.group(1)) - first)
        if not bad:
            print(r.stderr[:2000], file=sys.stderr); sys.exit(1)
        live = [n for i, n in enumerate(live) if i not in bad]
    return {}

v = {}
for inc in ['inc420', 'inc417', 'inc4.18.0', 'inc4.19.0']:
    for cc in ['gcc', 'aarch64-linux-gnu-gcc']:
        v[(inc, cc[:3])] = evaluate(inc, cc, names)
out = []
for n in names:
    x, a = v[('inc420', 'gcc')].get(n), v[('inc420', 'aar')].get(n)
    ox, oa = v[('inc417', 'gcc')].get(n), v[('inc417', 'aar')].get(n)
    tag = None
    if x is not None and a is not None:
        if x != a: continue
        val = x
        if ox == x and oa == a: tag = None
        else:
            tag = next((ver for ver, inc in [('4.18', 'inc4.18.0'), ('4.19', 'inc4.19.0')] if v[(inc, 'gcc')].get(n) == x and v[(inc, 'aar')].get(n) == a), '4.20')
            if ox is not None and oa is not None and ox != x:
                pass
    elif x is not None:
        if ox != x: continue
        val, tag = x, 'x86_64 only'
    elif a is not None:
        if oa != a: continue
        val, tag = a, 'arm64 only'
    else:
        continue
    ty = 'u32' if val < 2**32 else 'u64'
    vs = str(val) if val < 10 else hex(val)
    sfx = f' => since "{tag}"' if tag else ''
    out.append((n, ty, vs, tag, val))
for n, ty, vs, tag, val in out:
    print(f'        /// `{n}`.\n        pub const {n}: {ty} = {vs}{" => since " + chr(34) + tag + chr(34) if tag else ""};')
with open(f'{G}/out/{hdr}.consthand', 'w') as f:
    for n, ty, vs, tag, val in out:
        if tag and tag[0].isdigit():
            f.write(f'    ("{n}", {vs}),\n')
print(len(out), file=sys.stderr)
