#!/usr/bin/env python3
"""gen.py HEADER OUTPREFIX tag1 tag2 ... : emits Rust xen_abi! struct text for the 4.20 layouts,
with since tags from comparing against 4.17/4.18/4.19, plus hand-check table lines."""
import json, subprocess, sys, os, re
G = os.environ.get('WORK', '/tmp/ferrite-layout-gen')
TOOLS = os.path.dirname(os.path.abspath(__file__))
VERS = [('4.17', G + '/inc417'), ('4.18', G + '/inc4.18.0'), ('4.19', G + '/inc4.19.0'), ('4.20', G + '/inc420')]
KNOWN = json.loads(os.environ.get('KNOWN', '{}'))  # tag -> rust name (already defined elsewhere)
KEYWORDS = {'type', 'in', 'ref', 'mod', 'fn', 'match', 'use', 'loop', 'move', 'box', 'where', 'impl', 'self',
            'super', 'struct', 'enum', 'const', 'static', 'let', 'as', 'if', 'else', 'for', 'while', 'return',
            'true', 'false', 'trait', 'pub', 'crate', 'extern', 'unsafe', 'dyn', 'async', 'await', 'try', 'yield',
            'macro', 'final', 'override', 'priv', 'typeof', 'unsized', 'virtual', 'abstract', 'become', 'do'}

def dump(inc, header, tags):
    out = f'{G}/d-{os.getpid()}.json'
    subprocess.run([TOOLS + '/dump.sh', inc, header, out] + tags, check=True)
    d = json.load(open(out)); os.remove(out); return d

def camel(tag):
    return ''.join(p[:1].upper() + p[1:] for p in tag.split('_') if p)

def flat(t, prefix='', base=0):
    """Flattened (c_path, offset, size) of leaf-ish members, for version comparison."""
    res = []
    for f in t['fields']:
        if f.get('bitfield'):
            res.append((prefix + f['name'], base + f['off'], 'bf%d' % f['bitsize'])); continue
        ft = f['type']; name = prefix + (f['name'] or '')
        if ft['k'] in ('struct', 'union') and not f['name']:
            res += flat(ft, prefix, base + f['off'])
        elif ft['k'] in ('struct', 'union'):
            res.append((name, base + f['off'], ft['size']))
            res += flat(ft, name + '.', base + f['off'])
        else:
            res.append((name, base + f['off'], ft.get('size')))
    return res

class Gen:
    def __init__(self, header, roots):
        self.header = header
        self.cur = dump(VERS[-1][1], header, roots)
        self.old = {v: None for v, _ in VERS[:-1]}
        self.order = []       # (rust, ctype, desc)
        self.names = dict(KNOWN)
        self.roots = roots

    def rust_of_tag(self, t, ctype_hint=None):
        tag = t['tag']
        if tag in self.names:
            return self.names[tag]
        name = camel(tag)
        self.names[tag] = name
        self.walk(t, tag)
        self.order.append((name, 'struct ' + tag, t))
        return name

    def walk(self, t, owner=None, path=''):
        # make sure nested tagged structs, union members and anonymous helpers get generated first
        for f in t['fields']:
            if f.get('bitfield'):
                continue
            ft = f['type']
            fpath = path + (f['name'] or '')
            arr = ft['k'] == 'array'
            while ft['k'] == 'array':
                ft = ft['elem']
            if arr and ft['k'] == 'struct' and not ft['tag']:
                self.walk(ft, owner, fpath + '[0].')
                hn = camel(owner) + camel(f['name']) + 'Entry'
                ft['rust'] = hn
                self.order.append((hn, f'__typeof__(((struct {owner} *)0)->{fpath}[0])', ft))
            elif ft['k'] == 'struct' and ft['tag']:
                self.rust_of_tag(ft)
            elif ft['k'] == 'struct' and not ft['tag']:
                self.walk(ft, owner, fpath + '.' if f['name'] else path)
            elif ft['k'] == 'union' and not arr:
                for m in ft['fields']:
                    mt = m['type']
                    if mt['k'] == 'struct' and mt['tag']:
                        self.rust_of_tag(mt)
                    elif mt['k'] == 'struct' and m['name'] and f['name'] and not mt.get('rust'):
                        mpath = fpath + '.' + m['name']
                        self.walk(mt, owner, mpath + '.')
                        hn = camel(owner) + camel(m['name'])
                        if hn in [o[0] for o in self.order]:
                            hn = camel(owner) + camel(f['name']) + camel(m['name'])
                        mt['rust'] = hn
                        self.order.append((hn, f'__typeof__(((struct {owner} *)0)->{mpath})', mt))

    def ty(self, d):
        k = d['k']
        if k == 'int':
            n = d['name']
            if n == 'domid_t': return 'DomId'
            return ('i' if d['signed'] else 'u') + str(d['size'] * 8)
        if k == 'handle':
            tg = d['target']
            tg2 = re.sub(r'_t$', '', tg)
            m = {'uint8': 'u8', 'char': 'u8', 'const_char': 'u8', 'void': 'u8', 'const_void': 'u8', 'uint8_t': 'u8',
                 'uint16': 'u16', 'uint32': 'u32', 'uint64': 'u64', 'xen_pfn': 'u64', 'uint64_t': 'u64', 'uint32_t': 'u32',
                 'domid': 'DomId', 'ulong': 'u64', 'int': 'i32', 'uint': 'u32'}
            if tg2 in m: return f'GuestHandle<{m[tg2]}>'
            if tg2 in self.names: return f'GuestHandle<{self.names[tg2]}>'
            return 'GuestHandle<u8>'
        if k == 'array':
            return f'[{self.ty(d["elem"])}; {d["len"]}]'
        if k == 'struct' and d.get('rust'):
            return d['rust']
        if k == 'struct' and d['tag']:
            return self.names[d['tag']]
        raise Exception('type ' + json.dumps(d)[:200])

    def fields(self, t, prefix='', base=0, out=None):
        out = [] if out is None else out
        if all(f.get('bitfield') for f in t['fields']):
            out.append((base, 'bits', f'u{t["size"] * 8}', t['size'], 'bits'))
            return out
        for f in t['fields']:
            if f.get('bitfield'):
                raise Exception('bitfield in ' + str(t.get('tag')))
            ft = f['type']; off = base + f['off']; cname = prefix + (f['name'] or '')
            if ft['k'] == 'struct' and not ft['tag']:
                self.fields(ft, (cname + '.') if f['name'] else prefix, off, out); continue
            if ft['k'] == 'union':
                a = min(ft['align'], 8)
                out.append((off, cname, f'[u{a*8}; {ft["size"] // a}]', ft['size'], 'union'))
                continue
            out.append((off, cname, self.ty(ft), ft['size'], None))
        return out

    def since_for(self, ctype):
        """(struct_since, {field: since}) comparing 4.20 with the older versions."""
        if ctype.startswith('__typeof__'):
            return None, {}
        tag = ctype.split(' ', 1)[1]
        cur = self.cur_of(ctype)
        curflat = flat(cur)
        olds = []
        for v, inc in VERS[:-1]:
            if self.old[v] is None:
                self.old[v] = dump(inc, self.header, [r for r in self.allctypes])
            olds.append((v, self.old[v].get(tag)))
        o17 = olds[0][1]
        def same(o):
            return o is not None and o['size'] == cur['size'] and o['align'] == cur['align'] and flat(o) == curflat
        if same(o17):
            return None, {}
        first = next((v for v, o in olds if same(o)), '4.20')
        if o17 is not None and o17['size'] == cur['size'] and o17['align'] == cur['align']:
            of = {n: off for n, off, _ in flat(o17)}
            diff = {}
            ok = True
            for n, off, _ in curflat:
                if n in of:
                    if of[n] != off: ok = False
                else:
                    # first version having this member at this offset
                    fv = '4.20'
                    for v, o in olds[1:]:
                        if o is not None and (n, off) in [(a, b) for a, b, _ in flat(o)]:
                            fv = v; break
                    diff[n] = fv
            if ok:
                return None, diff
        return first, {}

    def cur_of(self, ctype):
        return self.cur_all[ctype.split(' ', 1)[1]]

    def run(self):
        for r in self.roots:
            t = self.cur[r]
            if t is None:
                print('MISSING', r, file=sys.stderr); continue
            self.rust_of_tag(t)
        # gather all tags, including nested
        self.allctypes = [c.split(' ', 1)[1] for _, c, _ in self.order if c.startswith('struct ')]
        self.cur_all = {c.split(' ', 1)[1]: t for _, c, t in self.order if c.startswith('struct ')}
        text = []
        hand = []
        for name, ctype, t in self.order:
            ss, fsince = self.since_for(ctype)
            fl = self.fields(t)
            text.append(f'        /// `{ctype}`.')
            text.append(f'        "{ctype}" size {t["size"]} align {t["align"]}' + (f' since "{ss}"' if ss else '') + ';')
            text.append(f'        pub struct {name} {{')
            cur = 0; g = 0
            for off, cname, ty, size, kind in fl:
                if off > cur:
                    text.append(f'            /// Padding.'); text.append(f'            {cur} _gap{g}: [u8; {off-cur}],'); g += 1
                leaf = cname.split('.')[-1]
                rname = cname.replace('.', '_')
                if kind == 'bits':
                    text.append('            /// The bit fields, as one word (C cannot take their offsets).')
                    text.append(f'            {off} bits as "": {ty},'); cur = off + size; continue
                if rname in KEYWORDS: rname = rname + '_'
                asc = f' as "{cname}"' if rname != cname else ''
                fs = f' since "{fsince[cname]}"' if cname in fsince else ''
                doc = 'Union of the sub-op argument structs.' if kind == 'union' else f'`{cname}`.'
                text.append(f'            /// {doc}')
                text.append(f'            {off} {rname}{asc}{fs}: {ty},')
                cur = off + size
            if cur < t['size']:
                text.append(f'            /// Padding.'); text.append(f'            {cur} _gap{g}: [u8; {t["size"]-cur}],')
            text.append('        }'); text.append('')
            if ss:
                fields = ', '.join(f'("{c}", {o})' for o, c, _, _, _ in fl)
                hand.append(f'    ("{ctype}", {t["size"]}, {t["align"]}, &[{fields}]),')
            for c, v in fsince.items():
                off = next(o for o, cn, *_ in fl if cn == c) if any(cn == c for _, cn, *_ in fl) else None
                if off is not None:
                    hand.append(f'    FIELD ("{ctype}", "{c}", {off}), // {v}')
        return '\n'.join(text), '\n'.join(hand)

if __name__ == '__main__':
    g = Gen(sys.argv[1], sys.argv[3:])
    text, hand = g.run()
    open(sys.argv[2] + '.rs.txt', 'w').write(text)
    open(sys.argv[2] + '.hand.txt', 'w').write(hand)
    print(json.dumps(g.names))
