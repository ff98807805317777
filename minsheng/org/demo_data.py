"""Name lists for the demonstration 街道. Every name here is invented; only 颐和家园, 月庄, 衡里炉 and 锦城物业
come from the source article, and even those carry no real people or addresses.
"""

#: 社区: (name, number of grids, its 小区). A community never has more grids than 小区, so every grid covers one.
COMMUNITIES = [
    ("颐和社区", 2, ["颐和家园", "颐和花园", "康乐小区"]),
    ("龙泉社区", 3, ["龙泉花园", "龙泉名苑", "泉润小区", "龙泉新村"]),
    ("朐山社区", 2, ["朐山苑", "山水华庭", "朐山小区"]),
    ("东城社区", 1, ["东城雅居", "东方花园"]),
    ("西城社区", 1, ["西城佳苑", "锦绣华府"]),
    ("骈邑社区", 2, ["骈邑小区", "骈邑新苑", "文昌小区"]),
    ("文化社区", 1, ["文化苑", "书香门第"]),
    ("南关社区", 1, ["南关小区", "南关新村", "和平小区"]),
]

#: The ten villages of the cherry cluster “首朐一指·樱悦田园” (the article names 月庄 and 衡里炉).
CHERRY_VILLAGES = ["月庄", "衡里炉", "西峪", "东峪", "石门坊", "樱桃岭", "南坡", "杨家庄", "朱家岭", "槐树岭"]

#: The other 41 of the 51 agricultural villages.
OTHER_VILLAGES = [
    "王家庄", "李家庄", "张家沟", "赵家河", "孙家楼", "刘家庄子", "前店", "后店", "东营", "西营",
    "南营", "北营", "大辛庄", "小辛庄", "柳树沟", "杏山", "枣园", "梨花峪", "桃园", "石河",
    "沙河", "白沙", "龙湾", "凤凰岭", "卧龙", "松山", "柏树峪", "青石", "马家庄", "于家河",
    "崔家庄", "高家庄", "韩家岭", "邢家庄", "冯家沟", "东河", "西河", "新庄", "林家庄", "上河",
    "下河",
]  # fmt: skip

#: Prefixes that tell apart the 自然村 of one village (前月庄、后月庄).
NATURAL_VILLAGE_PREFIXES = [("前", "后"), ("东", "西"), ("南", "北"), ("上", "下")]

#: 街道 offices (科室) the cadres work in.
OFFICES = [
    "党政综合办公室",
    "基层治理办公室",
    "社会事务办公室",
    "农业农村办公室",
    "城市管理办公室",
    "经济发展办公室",
    "平安建设办公室",
    "退役军人服务站",
]

#: Professional property companies: (name, the 6-digit division code in their credit code).
PROPERTY_COMPANIES = [
    ("临朐县和顺物业服务有限公司（演示）", "370724"),
    ("临朐县沂山物业管理有限公司（演示）", "370724"),
    ("潍坊市弥河物业服务有限公司（演示）", "370700"),
    ("山东朐阳物业服务有限公司（演示）", "370000"),
    ("潍坊市安泰物业管理有限公司（演示）", "370700"),
]
STREET_LED_COMPANY = "临朐县城关街道锦城物业服务有限公司（演示）"

#: Common surnames in Shandong, the most frequent first (they are drawn more often).
SURNAMES = (
    "王张李刘陈杨赵孙马高朱徐胡郭何林宋郑韩冯于董曹袁许傅吕苏卢蒋蔡贾丁魏薛叶阎潘杜戴夏钟汪田任姜范方"
    "石姚谭邹金陆郝孔白崔康毛邱秦江史顾侯邵孟段雷钱汤尹常武乔贺龚窦颜尉"
)
MALE_GIVEN = (
    "建国军伟强明磊涛斌勇杰刚峰鹏辉华林平东海波宇浩晨博文志成正德光亮瑞旭凯俊嘉哲轩振庆洪春福顺宝利兴新忠永"
)
FEMALE_GIVEN = "秀英丽敏静娟芳燕霞红玲萍梅琳雪婷倩悦欣怡佳雨思琪涵晓娜慧颖丹凤兰桂珍玉淑洁莉月"
