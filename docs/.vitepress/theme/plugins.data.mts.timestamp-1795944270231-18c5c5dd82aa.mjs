// .vitepress/theme/plugins.data.mts
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

var __vite_injected_original_import_meta_url = 'file:///work/main/docs/.vitepress/theme/plugins.data.mts';
var root = fileURLToPath(new URL('../../../plugins/', __vite_injected_original_import_meta_url));
var KINDS = ['loss', 'miner', 'sampler', 'distance', 'reducer', 'index', 'vector-index', 'ann', 'dataset'];
var plugins_data_default = {
  watch: ['../../../plugins/*/package.json'],
  load() {
    if (!existsSync(root)) return [];
    return readdirSync(root)
      .filter((dir) => existsSync(`${root}${dir}/package.json`))
      .sort()
      .map((dir) => {
        const pkg = JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8'));
        const keywords = pkg.keywords ?? [];
        return {
          name: pkg.name,
          dir,
          version: pkg.version ?? '0.0.0',
          description: pkg.description ?? '',
          kinds: keywords
            .filter((k) => KINDS.includes(k))
            .map((k) => (k === 'vector-index' || k === 'ann' ? 'index' : k))
            .filter((k, i, a) => a.indexOf(k) === i),
          keywords,
          peers: Object.keys(pkg.peerDependencies ?? {}),
          private: pkg.private === true,
        };
      });
  },
};

export { plugins_data_default as default };
//# sourceMappingURL=data:application/json;base64,ewogICJ2ZXJzaW9uIjogMywKICAic291cmNlcyI6IFsiLnZpdGVwcmVzcy90aGVtZS9wbHVnaW5zLmRhdGEubXRzIl0sCiAgInNvdXJjZXNDb250ZW50IjogWyJjb25zdCBfX3ZpdGVfaW5qZWN0ZWRfb3JpZ2luYWxfZGlybmFtZSA9IFwiL3dvcmsvbWFpbi9kb2NzLy52aXRlcHJlc3MvdGhlbWVcIjtjb25zdCBfX3ZpdGVfaW5qZWN0ZWRfb3JpZ2luYWxfZmlsZW5hbWUgPSBcIi93b3JrL21haW4vZG9jcy8udml0ZXByZXNzL3RoZW1lL3BsdWdpbnMuZGF0YS5tdHNcIjtjb25zdCBfX3ZpdGVfaW5qZWN0ZWRfb3JpZ2luYWxfaW1wb3J0X21ldGFfdXJsID0gXCJmaWxlOi8vL3dvcmsvbWFpbi9kb2NzLy52aXRlcHJlc3MvdGhlbWUvcGx1Z2lucy5kYXRhLm10c1wiOy8vIFRoZSBwbHVnaW4gY2F0YWxvZ3VlLCByZWFkIGF0IGJ1aWxkIHRpbWUgZnJvbSBwbHVnaW5zLyovcGFja2FnZS5qc29uOiBhIG5ldyBwbHVnaW4gcGFja2FnZVxuLy8gYXBwZWFycyBvbiAvcGx1Z2lucyB3aXRob3V0IGVkaXRpbmcgdGhlIGRvY3MuXG5pbXBvcnQgeyBleGlzdHNTeW5jLCByZWFkZGlyU3luYywgcmVhZEZpbGVTeW5jIH0gZnJvbSAnbm9kZTpmcyc7XG5pbXBvcnQgeyBmaWxlVVJMVG9QYXRoIH0gZnJvbSAnbm9kZTp1cmwnO1xuXG5leHBvcnQgaW50ZXJmYWNlIFBsdWdpbkluZm8ge1xuICBuYW1lOiBzdHJpbmc7XG4gIGRpcjogc3RyaW5nO1xuICB2ZXJzaW9uOiBzdHJpbmc7XG4gIGRlc2NyaXB0aW9uOiBzdHJpbmc7XG4gIGtpbmRzOiBzdHJpbmdbXTtcbiAga2V5d29yZHM6IHN0cmluZ1tdO1xuICBwZWVyczogc3RyaW5nW107XG4gIHByaXZhdGU6IGJvb2xlYW47XG59XG5cbmNvbnN0IHJvb3QgPSBmaWxlVVJMVG9QYXRoKG5ldyBVUkwoJy4uLy4uLy4uL3BsdWdpbnMvJywgaW1wb3J0Lm1ldGEudXJsKSk7XG5jb25zdCBLSU5EUyA9IFsnbG9zcycsICdtaW5lcicsICdzYW1wbGVyJywgJ2Rpc3RhbmNlJywgJ3JlZHVjZXInLCAnaW5kZXgnLCAndmVjdG9yLWluZGV4JywgJ2FubicsICdkYXRhc2V0J107XG5cbmRlY2xhcmUgY29uc3QgZGF0YTogUGx1Z2luSW5mb1tdO1xuXG5leHBvcnQgeyBkYXRhIH07XG5cbmV4cG9ydCBkZWZhdWx0IHtcbiAgd2F0Y2g6IFsnLi4vLi4vLi4vcGx1Z2lucy8qL3BhY2thZ2UuanNvbiddLFxuICBsb2FkKCk6IFBsdWdpbkluZm9bXSB7XG4gICAgaWYgKCFleGlzdHNTeW5jKHJvb3QpKSByZXR1cm4gW107XG4gICAgcmV0dXJuIHJlYWRkaXJTeW5jKHJvb3QpXG4gICAgICAuZmlsdGVyKChkaXIpID0+IGV4aXN0c1N5bmMoYCR7cm9vdH0ke2Rpcn0vcGFja2FnZS5qc29uYCkpXG4gICAgICAuc29ydCgpXG4gICAgICAubWFwKChkaXIpID0+IHtcbiAgICAgICAgY29uc3QgcGtnID0gSlNPTi5wYXJzZShyZWFkRmlsZVN5bmMoYCR7cm9vdH0ke2Rpcn0vcGFja2FnZS5qc29uYCwgJ3V0ZjgnKSk7XG4gICAgICAgIGNvbnN0IGtleXdvcmRzOiBzdHJpbmdbXSA9IHBrZy5rZXl3b3JkcyA/PyBbXTtcbiAgICAgICAgcmV0dXJuIHtcbiAgICAgICAgICBuYW1lOiBwa2cubmFtZSxcbiAgICAgICAgICBkaXIsXG4gICAgICAgICAgdmVyc2lvbjogcGtnLnZlcnNpb24gPz8gJzAuMC4wJyxcbiAgICAgICAgICBkZXNjcmlwdGlvbjogcGtnLmRlc2NyaXB0aW9uID8/ICcnLFxuICAgICAgICAgIGtpbmRzOiBrZXl3b3Jkc1xuICAgICAgICAgICAgLmZpbHRlcigoaykgPT4gS0lORFMuaW5jbHVkZXMoaykpXG4gICAgICAgICAgICAubWFwKChrKSA9PiAoayA9PT0gJ3ZlY3Rvci1pbmRleCcgfHwgayA9PT0gJ2FubicgPyAnaW5kZXgnIDogaykpXG4gICAgICAgICAgICAuZmlsdGVyKChrLCBpLCBhKSA9PiBhLmluZGV4T2YoaykgPT09IGkpLFxuICAgICAgICAgIGtleXdvcmRzLFxuICAgICAgICAgIHBlZXJzOiBPYmplY3Qua2V5cyhwa2cucGVlckRlcGVuZGVuY2llcyA/PyB7fSksXG4gICAgICAgICAgcHJpdmF0ZTogcGtnLnByaXZhdGUgPT09IHRydWUsXG4gICAgICAgIH07XG4gICAgICB9KTtcbiAgfSxcbn07XG4iXSwKICAibWFwcGluZ3MiOiAiO0FBRUEsU0FBUyxZQUFZLGFBQWEsb0JBQW9CO0FBQ3RELFNBQVMscUJBQXFCO0FBSDRJLElBQU0sMkNBQTJDO0FBZ0IzTixJQUFNLE9BQU8sY0FBYyxJQUFJLElBQUkscUJBQXFCLHdDQUFlLENBQUM7QUFDeEUsSUFBTSxRQUFRLENBQUMsUUFBUSxTQUFTLFdBQVcsWUFBWSxXQUFXLFNBQVMsZ0JBQWdCLE9BQU8sU0FBUztBQU0zRyxJQUFPLHVCQUFRO0FBQUEsRUFDYixPQUFPLENBQUMsaUNBQWlDO0FBQUEsRUFDekMsT0FBcUI7QUFDbkIsUUFBSSxDQUFDLFdBQVcsSUFBSSxFQUFHLFFBQU8sQ0FBQztBQUMvQixXQUFPLFlBQVksSUFBSSxFQUNwQixPQUFPLENBQUMsUUFBUSxXQUFXLEdBQUcsSUFBSSxHQUFHLEdBQUcsZUFBZSxDQUFDLEVBQ3hELEtBQUssRUFDTCxJQUFJLENBQUMsUUFBUTtBQUNaLFlBQU0sTUFBTSxLQUFLLE1BQU0sYUFBYSxHQUFHLElBQUksR0FBRyxHQUFHLGlCQUFpQixNQUFNLENBQUM7QUFDekUsWUFBTSxXQUFxQixJQUFJLFlBQVksQ0FBQztBQUM1QyxhQUFPO0FBQUEsUUFDTCxNQUFNLElBQUk7QUFBQSxRQUNWO0FBQUEsUUFDQSxTQUFTLElBQUksV0FBVztBQUFBLFFBQ3hCLGFBQWEsSUFBSSxlQUFlO0FBQUEsUUFDaEMsT0FBTyxTQUNKLE9BQU8sQ0FBQyxNQUFNLE1BQU0sU0FBUyxDQUFDLENBQUMsRUFDL0IsSUFBSSxDQUFDLE1BQU8sTUFBTSxrQkFBa0IsTUFBTSxRQUFRLFVBQVUsQ0FBRSxFQUM5RCxPQUFPLENBQUMsR0FBRyxHQUFHLE1BQU0sRUFBRSxRQUFRLENBQUMsTUFBTSxDQUFDO0FBQUEsUUFDekM7QUFBQSxRQUNBLE9BQU8sT0FBTyxLQUFLLElBQUksb0JBQW9CLENBQUMsQ0FBQztBQUFBLFFBQzdDLFNBQVMsSUFBSSxZQUFZO0FBQUEsTUFDM0I7QUFBQSxJQUNGLENBQUM7QUFBQSxFQUNMO0FBQ0Y7IiwKICAibmFtZXMiOiBbXQp9Cg==
