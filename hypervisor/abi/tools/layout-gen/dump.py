# gdb -batch -x dump.py obj ; env STRUCTS=comma list, OUT=path
import gdb, json, os
def desc(t):
    name = str(t)
    s = t.strip_typedefs()
    c = s.code
    if name.startswith('__guest_handle'):
        return {"k": "handle", "target": name.split('__guest_handle_64_')[-1].split('__guest_handle_')[-1], "size": s.sizeof}
    if c == gdb.TYPE_CODE_INT or c == gdb.TYPE_CODE_CHAR or c == gdb.TYPE_CODE_BOOL or c == gdb.TYPE_CODE_ENUM:
        signed = "unsigned" not in str(s) and str(s) != "char"
        return {"k": "int", "size": s.sizeof, "signed": signed, "name": name}
    if c == gdb.TYPE_CODE_ARRAY:
        lo, hi = s.range()
        return {"k": "array", "len": hi - lo + 1, "elem": desc(s.target()), "name": name, "size": s.sizeof}
    if c in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
        fs = []
        for f in s.fields():
            if f.bitsize:
                fs.append({"name": f.name, "bitfield": True, "off": f.bitpos // 8, "bitpos": f.bitpos, "bitsize": f.bitsize})
                continue
            d = desc(f.type)
            fs.append({"name": f.name, "off": f.bitpos // 8, "type": d})
        return {"k": "union" if c == gdb.TYPE_CODE_UNION else "struct", "tag": s.tag, "name": name,
                "size": s.sizeof, "align": s.alignof, "fields": fs}
    if c == gdb.TYPE_CODE_PTR:
        return {"k": "ptr", "size": s.sizeof}
    return {"k": "other", "code": c, "name": name, "size": s.sizeof}
out = {}
for n in os.environ["STRUCTS"].split(","):
    try:
        out[n] = desc(gdb.lookup_type("struct " + n))
    except gdb.error as e:
        out[n] = None
json.dump(out, open(os.environ["OUT"], "w"), indent=1)
